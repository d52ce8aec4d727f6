import {
  type AgentEventBody,
  conversationFromEvents,
  type ModelClient,
  type ModelTier,
  type StopReason,
  type UserImage,
} from "@toad/core";
import { type AgentHooks, formatHookContext, recordHookFailures } from "./hooks.js";
import type { PermissionPolicy } from "./permissions.js";
import type { AgentTools, Approver, EventSink, ToolCall } from "./ports.js";
import { runToolCalls } from "./run-tools.js";

export interface AgentRunOptions {
  /**
   * The user's new message. Absent: the run continues the conversation in
   * `history` as it stands (a run cut short and picked up again), with no
   * new user message and no UserPromptSubmit hook; a model turn the log
   * shows cut mid-stream is voided first (see `voidCutTurn`).
   */
  prompt?: string;
  /** Images sent with the prompt, as the log stores them (see `storeImagesOnce`). */
  images?: readonly UserImage[];
  /** The session's log so far (event bodies, oldest first): the conversation to continue. */
  history: readonly AgentEventBody[];
  system: string;
  model: ModelClient;
  modelId?: string;
  tier?: ModelTier;
  tools: AgentTools;
  policy: PermissionPolicy;
  approver?: Approver;
  emit: EventSink;
  signal: AbortSignal;
  /** Model turns this run may take. */
  maxTurns?: number;
  maxOutputTokens?: number;
  /** Stops the run once the session's cost reaches it. */
  budgetUsd?: number;
  /** What the session already cost before this run. */
  costSoFarUsd?: number;
  /** Hook points: prompt submit, before and after each tool call, before stopping. */
  hooks?: AgentHooks;
}

export type AgentExit = StopReason | "max_turns" | "budget";

export interface AgentRunResult {
  exit: AgentExit;
  turns: number;
  costUsd: number;
  /** The text of the last model turn. */
  text: string;
}

const DEFAULT_MAX_TURNS = 100;

/**
 * The agent loop: model turn → tool calls → results → next turn, until the
 * model ends its turn, a cap is hit, or the signal aborts. Every event goes
 * through `emit` (which persists it) before the loop acts on it, so the log
 * is always a faithful, resumable record of the run.
 */
export async function runAgent(options: AgentRunOptions): Promise<AgentRunResult> {
  const log: AgentEventBody[] = [...options.history];
  let cost = options.costSoFarUsd ?? 0;
  let runCost = 0;
  // Every usage counts, the loop's own turns and those a tool made (a subagent's).
  const record = async (body: AgentEventBody) => {
    log.push(body);
    if (body.type === "usage") {
      cost += body.costUsd;
      runCost += body.costUsd;
    }
    await options.emit(body);
  };
  const maxTurns = options.maxTurns ?? DEFAULT_MAX_TURNS;
  let turnNumber = log.filter((event) => event.type === "turn_start").length;
  let text = "";
  let stopHookActive = false;
  const overBudget = () => options.budgetUsd !== undefined && cost >= options.budgetUsd;
  const budgetError = async () =>
    record({
      type: "error",
      code: "budget_exceeded",
      message: `The session has cost $${cost.toFixed(4)}, reaching its budget of $${(options.budgetUsd ?? 0).toFixed(2)}.`,
      retryable: false,
    });

  if (options.prompt === undefined) await voidCutTurn(log, record);
  else if (!(await submitPrompt(options.prompt, options, record)).ok)
    return { exit: "refusal", turns: 0, costUsd: runCost, text };
  for (let turns = 0; ; turns++) {
    const done = (exit: AgentExit): AgentRunResult => ({ exit, turns, costUsd: runCost, text });
    if (options.signal.aborted) return done("cancelled");
    if (turns >= maxTurns) {
      await record({
        type: "error",
        code: "max_turns",
        message: `Stopped after ${maxTurns} model turns (--max-turns).`,
        retryable: false,
      });
      return done("max_turns");
    }

    turnNumber++;
    const turn = await streamModelTurn(options, log, turnNumber, record);
    text = turn.text;

    if (overBudget()) {
      await budgetError();
      await answerUnrunCalls(turn.calls, record, "the session budget was reached");
      return { exit: "budget", turns: turns + 1, costUsd: runCost, text };
    }

    const next = nextStep(turn.stopReason, turn.calls.length);
    if (next === "stop") {
      const goOn = await askStopHooks(options, turn.stopReason, { text, stopHookActive }, record);
      if (goOn === undefined) return { exit: turn.stopReason, turns: turns + 1, costUsd: runCost, text };
      stopHookActive = true;
      await record({ type: "user_message", text: goOn });
      continue;
    }
    if (next === "refuse_calls") {
      await answerUnrunCalls(
        turn.calls,
        record,
        "the output hit the max-tokens limit, so its arguments may be cut",
      );
      continue;
    }
    await runToolCalls(turn.calls, {
      tools: options.tools,
      policy: options.policy,
      approver: options.approver,
      record,
      signal: options.signal,
      ...(options.hooks !== undefined && { hooks: options.hooks }),
    });
    // Tools may have spent too (subagents): stop before another turn adds to it.
    if (overBudget()) {
      await budgetError();
      return { exit: "budget", turns: turns + 1, costUsd: runCost, text };
    }
  }
}

/**
 * The UserPromptSubmit hook point, then the prompt goes into the log (with
 * any context hooks added). A blocked prompt never reaches the log or the
 * model; the reason is logged as an error for the person to read.
 */
async function submitPrompt(
  prompt: string,
  options: AgentRunOptions,
  record: (body: AgentEventBody) => Promise<void>,
): Promise<{ ok: boolean }> {
  const gate = await options.hooks?.userPromptSubmit?.(prompt, options.signal);
  await recordHookFailures(gate?.failures, record);
  if (gate?.action === "block") {
    await record({
      type: "error",
      code: "prompt_blocked",
      message: `A hook blocked the prompt: ${gate.reason}`,
      retryable: false,
    });
    return { ok: false };
  }
  const context = formatHookContext(gate?.context ?? []);
  await record({
    type: "user_message",
    text: context === "" ? prompt : `${prompt}\n\n${context}`,
    ...(options.images?.length && { images: [...options.images] }),
  });
  return { ok: true };
}

/**
 * Continuing without a new message: when the log ends inside a model turn
 * (a turn_start with no turn_end after it, because the process running it
 * died), that turn's partial output is voided with a `retry` that discards
 * it, exactly as when a stream breaks and the request is sent again. The
 * conversation then ends with what the model was answering, and the next
 * turn asks it again. The turn stays open in the log, so a run killed again
 * right here still reads as cut, not as ended.
 */
async function voidCutTurn(
  log: readonly AgentEventBody[],
  record: (body: AgentEventBody) => Promise<void>,
): Promise<void> {
  const lastStart = log.findLastIndex((event) => event.type === "turn_start");
  const cut = lastStart !== -1 && !log.slice(lastStart).some((event) => event.type === "turn_end");
  if (cut) {
    await record({
      type: "retry",
      attempt: 1,
      delayMs: 0,
      reason: "the run was interrupted mid-turn; asking the model again",
      discardPartial: true,
    });
  }
}

/** The Stop hook point, asked only when the model finished on its own. Returns why to go on, if a hook says so. */
async function askStopHooks(
  options: AgentRunOptions,
  stopReason: StopReason,
  input: { text: string; stopHookActive: boolean },
  record: (body: AgentEventBody) => Promise<void>,
): Promise<string | undefined> {
  if (stopReason !== "end_turn" && stopReason !== "stop_sequence") return undefined;
  if (options.signal.aborted) return undefined;
  const gate = await options.hooks?.stop?.(input, options.signal);
  await recordHookFailures(gate?.failures, record);
  if (gate?.action !== "continue") return undefined;
  return `A stop hook asks you to continue: ${gate.reason}`;
}

interface ModelTurn {
  stopReason: StopReason;
  calls: ToolCall[];
  text: string;
}

async function streamModelTurn(
  options: AgentRunOptions,
  log: AgentEventBody[],
  turn: number,
  record: (body: AgentEventBody) => Promise<void>,
): Promise<ModelTurn> {
  const result: ModelTurn = { stopReason: "error", calls: [], text: "" };
  const request = {
    turn,
    system: options.system,
    messages: conversationFromEvents(log),
    tools: options.tools.specs(),
    ...(options.modelId !== undefined && { model: options.modelId }),
    ...(options.tier !== undefined && { tier: options.tier }),
    ...(options.maxOutputTokens !== undefined && { maxOutputTokens: options.maxOutputTokens }),
  };
  for await (const event of options.model.stream(request, { signal: options.signal })) {
    await record(event);
    switch (event.type) {
      case "text_delta":
        result.text += event.text;
        break;
      case "tool_call_complete":
        result.calls.push({ callId: event.callId, name: event.name, argumentsJson: event.argumentsJson });
        break;
      case "retry":
        if (event.discardPartial) {
          result.text = "";
          result.calls = [];
        }
        break;
      case "turn_end":
        result.stopReason = event.stopReason;
        break;
      default:
        break;
    }
  }
  return result;
}

type NextStep = "run_calls" | "refuse_calls" | "stop";

function nextStep(stopReason: StopReason, callCount: number): NextStep {
  switch (stopReason) {
    case "tool_use":
      return callCount > 0 ? "run_calls" : "stop";
    case "pause_turn":
      // The provider paused a long server-side turn; sending the conversation back resumes it.
      return "run_calls";
    case "max_tokens":
      return callCount > 0 ? "refuse_calls" : "stop";
    case "end_turn":
    case "stop_sequence":
      // Some OpenAI-compatible servers report "stop" even when they called tools.
      return callCount > 0 ? "run_calls" : "stop";
    case "refusal":
    case "cancelled":
    case "error":
      return "stop";
  }
}

/** Keeps the log consistent: every tool call the model made gets a result. */
async function answerUnrunCalls(
  calls: ToolCall[],
  record: (body: AgentEventBody) => Promise<void>,
  why: string,
): Promise<void> {
  for (const call of calls) {
    await record({
      type: "tool_result",
      callId: call.callId,
      name: call.name,
      output: `Not run: ${why}.`,
      isError: true,
      errorKind: "not_run",
      durationMs: 0,
    });
  }
}
