import { optionalString, parseFrontmatter } from "../shared/frontmatter.js";
import { findMarkdownFiles } from "../shared/markdown-files.js";
import type { ConfigPlaces, ConfigProblem } from "../shared/paths.js";

/** A markdown command file: `/name args` expands its body into a prompt. */
export interface CustomCommand {
  name: string;
  description?: string;
  /** Shown after the name in a picker, e.g. `<issue-number> [priority]`. */
  argumentHint?: string;
  /** The body, with `$ARGUMENTS` and `$1`…`$9` placeholders. */
  template: string;
  path: string;
  scope: "user" | "project";
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * `<config>/commands/*.md` (user) and `.toad/commands/*.md` (project); the
 * file name is the command name and a project file replaces a user file of
 * the same name. Frontmatter is optional: `description`, `argument-hint`.
 */
export async function loadCommands(
  places: ConfigPlaces,
): Promise<{ commands: CustomCommand[]; problems: ConfigProblem[] }> {
  const found = await findMarkdownFiles(places, "commands");
  const problems = [...found.problems];
  const byName = new Map<string, CustomCommand>();
  for (const file of found.files) {
    if (!NAME.test(file.stem)) {
      problems.push({
        file: file.path,
        message: "a command's file name must be letters, digits, '.', '_' or '-'",
      });
      continue;
    }
    const parsed = parseFrontmatter(file.text);
    if (!parsed.ok) {
      problems.push({ file: file.path, message: parsed.message });
      continue;
    }
    const description = optionalString(parsed.data, "description");
    const argumentHint = optionalString(parsed.data, "argument-hint");
    if (description instanceof Error || argumentHint instanceof Error) {
      problems.push({ file: file.path, message: "description and argument-hint must be strings" });
      continue;
    }
    byName.set(file.stem, {
      name: file.stem,
      template: parsed.body.trim(),
      path: file.path,
      scope: file.scope,
      ...(description && { description }),
      ...(argumentHint && { argumentHint }),
    });
  }
  return { commands: [...byName.values()].sort((a, b) => a.name.localeCompare(b.name)), problems };
}
