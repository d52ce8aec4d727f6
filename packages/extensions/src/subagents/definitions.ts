import { MODEL_TIERS, type ModelTier } from "@toad/core";
import { optionalList, optionalString, parseFrontmatter } from "../shared/frontmatter.js";
import { findMarkdownFiles } from "../shared/markdown-files.js";
import type { ConfigPlaces, ConfigProblem } from "../shared/paths.js";

export type ModelChoice = { tier: ModelTier } | { id: string };

/** A kind of subagent the `task` tool can start. */
export interface AgentDefinition {
  name: string;
  /** What the main agent reads to choose it. */
  description: string;
  /** Tool names it may use; absent means all of the session's tools (never `task`: no nesting). */
  tools?: string[];
  /** Every call must only read; read-only subagents run in parallel. */
  readOnly: boolean;
  /** Absent: the session's model. */
  model?: ModelChoice;
  /** Its own instructions, added to the subagent system prompt. */
  instructions: string;
  maxTurns?: number;
  scope: "builtin" | "user" | "project";
}

/** Tools that can only read (as far as their names go; a read-only agent also refuses any call that writes). */
const READ_TOOLS = new Set(["read_file", "list_dir", "glob", "grep", "git", "skill"]);

export const BUILTIN_AGENTS: readonly AgentDefinition[] = [
  {
    name: "explore",
    description:
      "Read-only exploration on a fast model: finds files, reads code and answers a question about the " +
      "codebase. Start several at once for independent questions.",
    tools: ["read_file", "list_dir", "glob", "grep", "git"],
    readOnly: true,
    model: { tier: "fast" },
    instructions:
      "Search broadly, then read what matters. Report file paths with line numbers and the facts that answer the question.",
    scope: "builtin",
  },
  {
    name: "general",
    description: "A general-purpose agent with the session's tools, for a self-contained multi-step task.",
    readOnly: false,
    instructions: "Do the task completely, verify it, and report what you changed and how you checked it.",
    scope: "builtin",
  },
];

/**
 * Project (`.toad/agents/*.md`) and user (`<config>/agents/*.md`) subagents,
 * on top of the built-in ones. Frontmatter: `name` (defaults to the file
 * name), `description` (required), `tools` (list or comma-separated),
 * `model` (a tier — fast, balanced, premium, reasoning — or a model id),
 * `read-only` (defaults to true when every listed tool only reads),
 * `max-turns`. The body is the agent's instructions.
 */
export async function loadAgents(
  places: ConfigPlaces,
): Promise<{ agents: AgentDefinition[]; problems: ConfigProblem[] }> {
  const found = await findMarkdownFiles(places, "agents");
  const problems = [...found.problems];
  const byName = new Map(BUILTIN_AGENTS.map((agent) => [agent.name, agent]));
  for (const file of found.files) {
    const parsed = parseAgent(file.text, file.stem, file.scope);
    if (parsed instanceof Error) problems.push({ file: file.path, message: parsed.message });
    else byName.set(parsed.name, parsed);
  }
  return { agents: [...byName.values()], problems };
}

export function parseAgent(text: string, stem: string, scope: "user" | "project"): AgentDefinition | Error {
  const parsed = parseFrontmatter(text);
  if (!parsed.ok) return new Error(parsed.message);
  const { data } = parsed;
  const name = optionalString(data, "name") ?? stem;
  const description = optionalString(data, "description");
  const model = optionalString(data, "model");
  const tools = optionalList(data, "tools");
  for (const value of [name, description, model, tools]) if (value instanceof Error) return value;
  if (typeof name !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    return new Error(`name must be letters, digits, ".", "_" or "-"`);
  }
  if (typeof description !== "string" || description === "") {
    return new Error("needs a description in its frontmatter (description: …)");
  }
  const readOnlyValue = data["read-only"] ?? data.readOnly;
  if (readOnlyValue !== undefined && typeof readOnlyValue !== "boolean") {
    return new Error('"read-only" must be true or false');
  }
  const maxTurns = data["max-turns"] ?? data.maxTurns;
  if (
    maxTurns !== undefined &&
    (typeof maxTurns !== "number" || !Number.isInteger(maxTurns) || maxTurns < 1)
  ) {
    return new Error('"max-turns" must be a positive whole number');
  }
  const toolList = Array.isArray(tools) ? tools : undefined;
  const modelId = typeof model === "string" && model !== "" ? model : undefined;
  return {
    name,
    description,
    instructions: parsed.body.trim(),
    readOnly: readOnlyValue ?? toolList?.every((tool) => READ_TOOLS.has(tool)) === true,
    scope,
    ...(toolList && { tools: toolList }),
    ...(modelId && { model: modelChoice(modelId) }),
    ...(typeof maxTurns === "number" && { maxTurns }),
  };
}

export function modelChoice(value: string): ModelChoice {
  const tier = MODEL_TIERS.find((candidate) => candidate === value);
  return tier ? { tier } : { id: value };
}
