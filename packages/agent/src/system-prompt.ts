import type { PermissionMode } from "@toad/core";
import type { InstructionFile } from "./instructions.js";

export interface SystemPromptInput {
  cwd: string;
  repositoryRoot: string;
  permissionMode: PermissionMode;
  instructions: InstructionFile[];
  /** A ranked map of the repository, when the context engine provides one. */
  repoMap?: string;
  platform?: string;
  /** Frozen per session so the prompt stays byte-identical turn over turn (prompt caching). */
  date: string;
}

/**
 * The system prompt: stable parts first (role, rules, environment,
 * instructions, repo map) so that providers can cache the prefix.
 */
export function buildSystemPrompt(input: SystemPromptInput): string {
  const sections = [
    [
      "You are TOAD, an AI coding agent working in the user's repository.",
      "You read, search, edit, run and test code with the tools you are given.",
      "Work in small verified steps: read before you edit, run the tests after you change code,",
      "and finish with a short summary of what you changed and how you checked it.",
      "Paths are relative to the repository root unless they start with /; you cannot leave the workspace.",
      input.permissionMode === "plan"
        ? "You are in plan mode: you may only read. Propose changes as a plan; do not try to edit or run commands."
        : "Some calls may need the user's approval; if one is declined, adapt instead of retrying the same call.",
    ].join("\n"),
    [
      "<environment>",
      `working directory: ${input.cwd}`,
      `repository root: ${input.repositoryRoot}`,
      `platform: ${input.platform ?? process.platform}`,
      `date: ${input.date}`,
      "</environment>",
    ].join("\n"),
  ];
  for (const file of input.instructions) {
    sections.push(`<instructions file="${file.path}">\n${file.content.trim()}\n</instructions>`);
  }
  if (input.repoMap) sections.push(`<repository_map>\n${input.repoMap.trim()}\n</repository_map>`);
  return sections.join("\n\n");
}
