import type { ToolRegistry } from "./registry.js";
import { capText, errorMessage } from "./text.js";
import type { ToolCall, ToolContext, ToolEffect, ToolError, ToolOutcome, ToolPreview } from "./types.js";

/** A call past build and validation: approve it by its effect and preview, then execute it. */
export interface PreparedCall {
  callId: string;
  name: string;
  effect: ToolEffect;
  /** The validated arguments, defaults applied. */
  args: unknown;
  /** For the approval prompt. `ok: false` carries the outcome to send back without asking. */
  preview(): Promise<{ ok: true; preview: ToolPreview } | { ok: false; outcome: ToolOutcome }>;
  execute(): Promise<ToolOutcome>;
}

export type PrepareResult = { ok: true; call: PreparedCall } | { ok: false; outcome: ToolOutcome };

export interface PipelineOptions {
  /** Safety net over every output; default 120 000 characters. */
  outputMaxChars?: number;
}

function errorOutcome(call: ToolCall, error: ToolError, durationMs: number): ToolOutcome {
  return {
    callId: call.callId,
    name: call.name,
    output: `Error (${error.kind}): ${error.message}`,
    isError: true,
    errorKind: error.kind,
    durationMs,
  };
}

function parseArguments(text: string): { ok: true; value: unknown } | { ok: false; error: ToolError } {
  // Providers send "" for a call without arguments.
  if (text.trim() === "") return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return {
      ok: false,
      error: {
        kind: "invalid_arguments",
        message: `arguments are not valid JSON (${errorMessage(error)}); send one JSON object`,
      },
    };
  }
}

/**
 * Build and validate a call: the tool exists, its arguments are JSON and
 * match the schema. Every failure is an outcome for the model, never a throw.
 */
export function prepareToolCall(
  registry: ToolRegistry,
  call: ToolCall,
  ctx: ToolContext,
  options: PipelineOptions = {},
): PrepareResult {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const tool = registry.get(call.name);
  if (!tool) {
    const names = registry
      .list()
      .map((t) => t.name)
      .join(", ");
    const error: ToolError = {
      kind: "unknown_tool",
      message: `no tool named "${call.name}"; available: ${names}`,
    };
    return { ok: false, outcome: errorOutcome(call, error, elapsed()) };
  }
  const parsed = parseArguments(call.argumentsJson);
  if (!parsed.ok) return { ok: false, outcome: errorOutcome(call, parsed.error, elapsed()) };
  const bound = tool.bind(parsed.value, ctx);
  if (!bound.ok) return { ok: false, outcome: errorOutcome(call, bound.error, elapsed()) };
  const maxChars = options.outputMaxChars ?? 120_000;

  // A tool that throws is a bug, but the agent loop still gets an outcome.
  const guarded = async <T>(
    run: () => Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false; error: ToolError }> => {
    try {
      return { ok: true, value: await run() };
    } catch (error) {
      return {
        ok: false,
        error: { kind: "internal", message: `${call.name} failed: ${errorMessage(error)}` },
      };
    }
  };

  return {
    ok: true,
    call: {
      callId: call.callId,
      name: call.name,
      effect: bound.value.effect,
      args: bound.value.args,
      async preview() {
        const result = await guarded(() => bound.value.preview());
        const preview = result.ok ? result.value : result;
        if (!preview.ok) return { ok: false, outcome: errorOutcome(call, preview.error, elapsed()) };
        registry.previews.remember(call.callId, preview.value);
        return { ok: true, preview: preview.value };
      },
      async execute() {
        const begun = performance.now();
        const took = () => Math.round(performance.now() - begun);
        if (ctx.signal?.aborted) {
          return errorOutcome(call, { kind: "aborted", message: "the call was cancelled before it ran" }, 0);
        }
        const approved = registry.previews.take(call.callId);
        const result = await guarded(() => bound.value.execute(approved));
        const output = result.ok ? result.value : result;
        if (!output.ok)
          return errorOutcome(
            call,
            { ...output.error, message: capText(output.error.message, maxChars) },
            took(),
          );
        const outcome: ToolOutcome = {
          callId: call.callId,
          name: call.name,
          output: capText(output.value.output, maxChars),
          isError: false,
          durationMs: took(),
        };
        if (output.value.diff !== undefined) outcome.diff = output.value.diff;
        if (output.value.changedPaths !== undefined) outcome.changedPaths = output.value.changedPaths;
        return outcome;
      },
    },
  };
}

/** Build, validate and execute in one step, with no approval stage (tests, full-auto, sub-agents). */
export async function executeToolCall(
  registry: ToolRegistry,
  call: ToolCall,
  ctx: ToolContext,
  options: PipelineOptions = {},
): Promise<ToolOutcome> {
  const prepared = prepareToolCall(registry, call, ctx, options);
  return prepared.ok ? prepared.call.execute() : prepared.outcome;
}
