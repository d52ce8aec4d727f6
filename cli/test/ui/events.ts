import type { AgentEvent, AgentEventBody } from "@toad/core";

/** Stamps event bodies as a session log would (seq from 1, one millisecond apart). */
export function stamp(bodies: readonly AgentEventBody[], sessionId = "s1", start = 1_000_000): AgentEvent[] {
  return bodies.map((body, index) => ({ ...body, sessionId, seq: index + 1, timestamp: start + index }));
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, "g");

export const stripAnsi = (text: string): string => text.replace(ANSI, "");

/** A model turn that streams `text` in word-sized deltas. */
export function textTurn(turn: number, text: string): AgentEventBody[] {
  const words = text.match(/\S+\s*|\s+/g) ?? [];
  return [
    { type: "turn_start", turn, model: "claude-sonnet-4-5", provider: "anthropic" },
    ...words.map((word): AgentEventBody => ({ type: "text_delta", text: word })),
    {
      type: "usage",
      model: "claude-sonnet-4-5",
      inputTokens: 100,
      outputTokens: 20,
      cacheReadTokens: 50,
      cacheWriteTokens: 0,
      costUsd: 0.001,
    },
    { type: "turn_end", turn, stopReason: "end_turn" },
  ];
}
