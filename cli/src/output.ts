import type { AgentExit } from "@toad/agent";
import { type AgentEvent, serializeEvent } from "@toad/core";
import type { OutputFormat } from "./args.js";
import { EXIT, type ExitCode } from "./errors.js";

export interface RunSummary {
  sessionId: string;
  exit: AgentExit;
  turns: number;
  costUsd: number;
  text: string;
  durationMs: number;
}

export interface Writable {
  write(chunk: string): unknown;
}

/** Renders one headless run's events in the chosen output format. */
export interface RunOutput {
  event(event: AgentEvent): void;
  finish(summary: RunSummary): void;
}

export function exitCodeFor(exit: AgentExit): ExitCode {
  switch (exit) {
    case "end_turn":
    case "stop_sequence":
    case "pause_turn":
    case "tool_use":
      return EXIT.ok;
    case "max_turns":
    case "budget":
      return EXIT.capped;
    case "cancelled":
      return EXIT.interrupted;
    case "max_tokens":
    case "refusal":
    case "error":
      return EXIT.failed;
  }
}

export function createRunOutput(
  format: OutputFormat,
  stdout: Writable,
  stderr: Writable,
  options: { verbose?: boolean } = {},
): RunOutput {
  const totals = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
  const errors: string[] = [];
  const track = (event: AgentEvent) => {
    if (event.type === "usage") {
      totals.inputTokens += event.inputTokens;
      totals.outputTokens += event.outputTokens;
      totals.cacheReadTokens += event.cacheReadTokens;
      totals.cacheWriteTokens += event.cacheWriteTokens;
    }
    if (event.type === "error") errors.push(`${event.code}: ${event.message}`);
  };

  switch (format) {
    case "stream-json":
      return {
        event: (event) => stdout.write(`${serializeEvent(event)}\n`),
        finish: () => {},
      };
    case "json":
      return {
        event: track,
        finish: (summary) => {
          const isError = exitCodeFor(summary.exit) !== EXIT.ok;
          stdout.write(`${JSON.stringify({ ...summary, isError, errors, usage: totals })}\n`);
        },
      };
    case "text":
      return {
        event(event) {
          track(event);
          if (event.type === "error") stderr.write(`toad: ${event.message}\n`);
          if (!options.verbose) return;
          if (event.type === "tool_call_complete")
            stderr.write(`→ ${event.name} ${oneLine(event.argumentsJson)}\n`);
          if (event.type === "tool_result") {
            stderr.write(`${event.isError ? "✗" : "←"} ${event.name} ${oneLine(event.output)}\n`);
          }
          if (event.type === "retry") stderr.write(`… retry ${event.attempt}: ${event.reason}\n`);
        },
        finish(summary) {
          if (summary.text) stdout.write(summary.text.endsWith("\n") ? summary.text : `${summary.text}\n`);
          if (summary.exit === "max_tokens")
            stderr.write("toad: the answer was cut at the output token limit\n");
          if (summary.exit === "refusal") stderr.write("toad: the model declined the request\n");
        },
      };
  }
}

function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
