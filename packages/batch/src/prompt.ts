import { createHash } from "node:crypto";
import { buildSystemPrompt } from "@toad/agent";
import type { Ablations, BatchInstance } from "./types.js";

export interface PromptParts {
  /** Text from the context pre-loader (repository map, retrieved code), when it gave any. */
  context?: string;
  /** Tests the test selector proposes, when it proposed any. */
  selectedTests?: readonly string[];
}

export interface PromptOptions {
  ablations: Ablations;
  /** Show the dataset's hints_text (off by default, as in the SWE-bench leaderboards). */
  useHints: boolean;
}

const TASK = [
  "The repository in your working directory is checked out at the commit this issue was reported against.",
  "Resolve the issue by changing the repository's source files. Make the smallest change that fixes it,",
  "keep the existing tests as they are (you may add tests), and delete any scratch files you create.",
  "There is no network access. Nobody will answer questions: decide, do the work, and finish.",
].join("\n");

const TESTING = [
  "Before you finish, select the tests that cover the code you changed and run just those",
  "(run_tests with the test files or test names as args), not the whole suite; fix what fails.",
].join("\n");

/** The first user message of an instance. */
export function instancePrompt(
  instance: BatchInstance,
  options: PromptOptions,
  parts: PromptParts = {},
): string {
  const sections = [`<issue>\n${instance.problem_statement.trim()}\n</issue>`];
  if (options.useHints && instance.hints_text?.trim()) {
    sections.push(`<hints>\n${instance.hints_text.trim()}\n</hints>`);
  }
  if (options.ablations.contextPreload && parts.context?.trim()) {
    sections.push(`<context>\n${parts.context.trim()}\n</context>`);
  }
  sections.push(TASK);
  if (options.ablations.testSelection) {
    sections.push(TESTING);
    if (parts.selectedTests && parts.selectedTests.length > 0) {
      sections.push(
        `Tests likely to cover this issue:\n${parts.selectedTests.map((t) => `- ${t}`).join("\n")}`,
      );
    }
  }
  return sections.join("\n\n");
}

/**
 * A fingerprint of every prompt an instance sees (the task template under
 * these switches and the agent's system prompt), so run.json tells whether
 * two runs asked the same thing.
 */
export function promptsHash(options: PromptOptions): string {
  const probe: BatchInstance = {
    instance_id: "probe",
    repo: "owner/name",
    base_commit: "0000000",
    problem_statement: "{problem_statement}",
    hints_text: "{hints_text}",
  };
  const system = buildSystemPrompt({
    cwd: "/workspace",
    repositoryRoot: "/workspace",
    permissionMode: "full-auto",
    instructions: [],
    platform: "linux",
    date: "2000-01-01",
  });
  const user = instancePrompt(probe, options, { context: "{context}", selectedTests: ["{test}"] });
  return createHash("sha256").update(system).update("\0").update(user).digest("hex").slice(0, 16);
}
