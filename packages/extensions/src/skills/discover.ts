import { optionalString, parseFrontmatter } from "../shared/frontmatter.js";
import { findFolderFiles } from "../shared/markdown-files.js";
import type { ConfigPlaces, ConfigProblem } from "../shared/paths.js";

/** A `SKILL.md` folder: instructions for a kind of task, plus any files beside them. */
export interface Skill {
  name: string;
  /** What the model reads to decide whether to load the skill. */
  description: string;
  /** The instructions (SKILL.md without its frontmatter). */
  instructions: string;
  /** The skill's folder: its other files (scripts, references) live here. */
  dir: string;
  scope: "user" | "project";
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * Skills at user level (`<config>/skills/<name>/SKILL.md`) and project level
 * (`.toad/skills/<name>/SKILL.md`); a project skill replaces a user skill of
 * the same name. Frontmatter: `name` (defaults to the folder) and
 * `description` (required: a skill the model cannot choose is useless).
 */
export async function loadSkills(
  places: ConfigPlaces,
): Promise<{ skills: Skill[]; problems: ConfigProblem[] }> {
  const found = await findFolderFiles(places, "skills", "SKILL.md");
  const problems = [...found.problems];
  const byName = new Map<string, Skill>();
  for (const file of found.files) {
    const parsed = parseFrontmatter(file.text);
    if (!parsed.ok) {
      problems.push({ file: file.path, message: parsed.message });
      continue;
    }
    const name = optionalString(parsed.data, "name") ?? file.stem;
    const description = optionalString(parsed.data, "description");
    if (name instanceof Error || description instanceof Error) {
      problems.push({
        file: file.path,
        message: (name instanceof Error ? name : (description as Error)).message,
      });
      continue;
    }
    if (!NAME.test(name)) {
      problems.push({
        file: file.path,
        message: `name "${name}" must be lowercase letters, digits, ".", "_" or "-"`,
      });
      continue;
    }
    if (!description) {
      problems.push({ file: file.path, message: "needs a description in its frontmatter (description: …)" });
      continue;
    }
    byName.set(name, {
      name,
      description,
      instructions: parsed.body.trim(),
      dir: file.dir,
      scope: file.scope,
    });
  }
  return { skills: [...byName.values()].sort((a, b) => a.name.localeCompare(b.name)), problems };
}
