import type { AgentEventBody, ModelClient, ModelRequest, ModelStreamEvent } from "@toad/core";
import type { AgentTools, ToolEffect, ToolOutcome } from "../src/index.js";

/**
 * Test doubles of the agent's ports. The model double plays scripted turns
 * as core events (the real provider adapters are tested against the scripted
 * HTTP model server in packages/llm); the tools double records calls.
 */
export type ScriptedTurn = (request: ModelRequest) => ModelStreamEvent[];

export function scriptedModel(turns: ScriptedTurn[]): ModelClient & { requests: ModelRequest[] } {
  const requests: ModelRequest[] = [];
  return {
    requests,
    async *stream(request, options) {
      requests.push(structuredClone(request));
      const turn = turns.shift();
      yield { type: "turn_start", turn: request.turn, model: "scripted", provider: "test" };
      if (!turn) throw new Error("script exhausted");
      for (const event of turn(request)) {
        if (options?.signal?.aborted) {
          yield { type: "turn_end", turn: request.turn, stopReason: "cancelled" };
          return;
        }
        yield event;
      }
    },
  };
}

export function callTool(callId: string, name: string, args: unknown): ModelStreamEvent[] {
  const argumentsJson = typeof args === "string" ? args : JSON.stringify(args);
  return [
    { type: "tool_call_start", callId, name },
    { type: "tool_call_delta", callId, argumentsDelta: argumentsJson },
    { type: "tool_call_complete", callId, name, argumentsJson },
  ];
}

export const usage = (costUsd: number): ModelStreamEvent => ({
  type: "usage",
  model: "scripted",
  inputTokens: 10,
  outputTokens: 5,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costUsd,
});

export const endTurn = (
  turn: number,
  stopReason: "end_turn" | "tool_use" | "max_tokens",
): ModelStreamEvent => ({
  type: "turn_end",
  turn,
  stopReason,
});

export interface FakeTool {
  effect: ToolEffect;
  run(args: Record<string, unknown>, signal: AbortSignal): Promise<ToolOutcome>;
}

export function fakeTools(tools: Record<string, FakeTool>): AgentTools & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    specs: () =>
      Object.keys(tools).map((name) => ({ name, description: name, inputSchema: { type: "object" } })),
    prepare(call, signal) {
      const tool = tools[call.name];
      if (!tool) {
        const names = Object.keys(tools).join(", ");
        return {
          ok: false,
          outcome: {
            ok: false,
            errorKind: "unknown_tool",
            message: `no tool named "${call.name}"; available: ${names}`,
          },
        };
      }
      let args: Record<string, unknown>;
      try {
        args = JSON.parse(call.argumentsJson) as Record<string, unknown>;
      } catch {
        return {
          ok: false,
          outcome: { ok: false, errorKind: "invalid_arguments", message: "arguments are not valid JSON" },
        };
      }
      return {
        ok: true,
        call: {
          effect: tool.effect,
          preview: async () => ({
            ok: true,
            preview: { summary: `${call.name} ${call.argumentsJson}`, command: String(args.command ?? "") },
          }),
          async execute() {
            log.push(`start ${call.callId}`);
            const outcome = await tool.run(args, signal);
            log.push(`end ${call.callId}`);
            return outcome;
          },
        },
      };
    },
  };
}

export function collectingSink(): {
  events: AgentEventBody[];
  emit: (body: AgentEventBody) => AgentEventBody;
} {
  const events: AgentEventBody[] = [];
  return {
    events,
    emit: (body) => {
      events.push(body);
      return body;
    },
  };
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
