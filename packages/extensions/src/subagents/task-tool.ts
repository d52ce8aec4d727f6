import {
  type AgentHooks,
  type AgentTools,
  type PermissionPolicy,
  runAgent,
  type ToolOutcome,
  type ToolRunServices,
} from "@toad/agent";
import { type AgentEventBody, MODEL_TIERS, type ModelClient } from "@toad/core";
import { type ExtensionTool, restrictTools, stringArg } from "../shared/toolset.js";
import { type AgentDefinition, type ModelChoice, modelChoice } from "./definitions.js";

export interface TaskToolOptions {
  agents: readonly AgentDefinition[];
  /** The session's tools: each subagent gets its definition's subset of them. */
  tools: AgentTools;
  model: ModelClient;
  /** The run's policy: a subagent's calls obey the same mode and rules. */
  policy: PermissionPolicy;
  cwd: string;
  /** The session's model id, inherited by agents that name none (absent: routed by tier). */
  sessionModel?: string;
  /** PreToolUse / PostToolUse hooks applied to the subagent's own calls (guards, diagnostics). */
  toolHooks?: Pick<AgentHooks, "preToolUse" | "postToolUse">;
}

const DEFAULT_MAX_TURNS = 30;
const MAX_REPORT_CHARS = 30_000;

/**
 * The `task` tool: starts a subagent with its own context window (a fresh
 * history), a task, a subset of the session's tools and a model tier, and
 * returns its final report. Read-only subagents make read-effect calls, so
 * the loop runs several of one turn concurrently; the others run one at a
 * time. Every usage event of a subagent is reported to the parent run, which
 * logs it: the session's cost includes its subagents'. A subagent's calls
 * that need approval are asked of the session's person, with the subagent's
 * name, and logged in the session's log (`ToolRunServices.approverFor`).
 */
export function taskTool(options: TaskToolOptions): ExtensionTool {
  const byName = new Map(options.agents.map((agent) => [agent.name, agent]));
  const listing = options.agents.map((agent) => `- ${agent.name}: ${agent.description}`).join("\n");
  return {
    spec: {
      name: "task",
      description:
        "Start a subagent for a self-contained task. It works in its own context window with its own tools " +
        "and returns only its final report, which keeps your context small. Several task calls in one turn " +
        "run in parallel when their agents are read-only. Give each a complete, standalone prompt: it has " +
        `not seen this conversation.\n\nAgents:\n${listing}`,
      inputSchema: {
        type: "object",
        properties: {
          agent: { type: "string", enum: [...byName.keys()], description: "Which kind of subagent." },
          prompt: { type: "string", description: "The whole task, with the context it needs." },
          description: { type: "string", description: "A few words naming the task (for the user)." },
          tier: { type: "string", enum: [...MODEL_TIERS], description: "Override the agent's model tier." },
        },
        required: ["agent", "prompt"],
        additionalProperties: false,
      },
    },
    effect: (args) => (byName.get(String(args.agent))?.readOnly ? "read" : "edit"),
    check(args) {
      const agent = stringArg(args, "agent");
      if (agent === undefined || !byName.has(agent)) {
        return `"agent" must be one of ${[...byName.keys()].join(", ")}`;
      }
      if (!stringArg(args, "prompt")?.trim()) return '"prompt" must be a non-empty string';
      const tier = args.tier;
      if (tier !== undefined && !MODEL_TIERS.some((t) => t === tier)) {
        return `"tier" must be one of ${MODEL_TIERS.join(", ")}`;
      }
      return undefined;
    },
    summary: (args) =>
      `subagent ${String(args.agent)}: ${String(args.description ?? args.prompt).slice(0, 120)}`,
    async run(args, signal, services) {
      const agent = byName.get(String(args.agent));
      if (!agent) return { ok: false, errorKind: "invalid_arguments", message: "unknown agent" };
      const tier = stringArg(args, "tier");
      return runSubagent(
        agent,
        String(args.prompt),
        tier ? modelChoice(tier) : agent.model,
        options,
        signal,
        services,
      );
    },
  };
}

async function runSubagent(
  agent: AgentDefinition,
  prompt: string,
  choice: ModelChoice | undefined,
  options: TaskToolOptions,
  signal: AbortSignal,
  services: ToolRunServices | undefined,
): Promise<ToolOutcome> {
  const tools = restrictTools(options.tools, {
    ...(agent.tools && { names: new Set(agent.tools) }),
    without: new Set(["task"]),
    readOnly: agent.readOnly,
  });
  const errors: string[] = [];
  // The subagent's log is not the session's: hook failures travel in its result instead.
  const hookFailures: string[] = [];
  let toolCalls = 0;
  const model = choice ?? (options.sessionModel !== undefined ? { id: options.sessionModel } : undefined);
  const result = await runAgent({
    prompt,
    history: [],
    system: subagentSystemPrompt(agent, options.cwd),
    model: options.model,
    ...(model && ("tier" in model ? { tier: model.tier } : { modelId: model.id })),
    tools,
    policy: options.policy,
    // With no one to ask (a headless run), its calls that need approval are refused with a hint.
    ...(services?.approverFor && { approver: services.approverFor(agent.name) }),
    ...(options.toolHooks && { hooks: options.toolHooks }),
    signal,
    maxTurns: agent.maxTurns ?? DEFAULT_MAX_TURNS,
    emit: async (body: AgentEventBody) => {
      if (body.type === "usage") await services?.reportUsage(body);
      if (body.type === "tool_result") toolCalls++;
      if (body.type === "error") errors.push(`${body.code}: ${body.message}`);
      if (body.type === "error" && body.code === "hook_failed") hookFailures.push(body.message);
    },
  });
  const failed =
    hookFailures.length > 0 ? `\nHooks that failed in the subagent:\n${hookFailures.join("\n")}` : "";
  const footer = `[subagent ${agent.name}: ${result.turns} turns, ${toolCalls} tool calls, $${result.costUsd.toFixed(4)}]${failed}`;
  const report = cut(result.text.trim());
  if (result.exit === "end_turn" || result.exit === "stop_sequence") {
    return { ok: true, output: `${report || "(the subagent gave no report)"}\n\n${footer}` };
  }
  const why = errors.length > 0 ? errors.join("; ") : `it stopped with ${result.exit}`;
  return {
    ok: false,
    errorKind: "subagent_failed",
    message: `The subagent did not finish: ${why}.${report ? `\nIts last words:\n${report}` : ""}\n\n${footer}`,
  };
}

function subagentSystemPrompt(agent: AgentDefinition, cwd: string): string {
  return [
    `You are a TOAD subagent ("${agent.name}"), started by the main agent for one task.`,
    "You work in your own context: the main agent sees only your final message, so end with a complete,",
    "concise report of what you found or did (paths with line numbers, conclusions, anything left open).",
    "Nobody can answer questions; decide for yourself and say what you assumed.",
    agent.readOnly ? "You may only read: do not try to edit files or run commands that change anything." : "",
    `\n<environment>\nworking directory: ${cwd}\nplatform: ${process.platform}\n</environment>`,
    agent.instructions ? `\n<agent_instructions>\n${agent.instructions}\n</agent_instructions>` : "",
  ]
    .filter((line) => line !== "")
    .join("\n");
}

function cut(text: string): string {
  return text.length > MAX_REPORT_CHARS ? `${text.slice(0, MAX_REPORT_CHARS)}\n[… report cut]` : text;
}
