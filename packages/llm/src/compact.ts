import type { ContentBlock, Message, ModelClient, ModelStreamEvent, ModelTier } from "@toad/core";
import { countMessageTokens, type TokenCounter } from "./tokens.js";

// Compaction: when the conversation nears the context window, the old turns
// are replaced by a summary the model writes, and the recent turns stay
// verbatim. The cut never separates a tool call from its result.

export const SUMMARY_SYSTEM =
  "You summarise a coding session so that it can continue without the full transcript. " +
  "Keep: the user's goals and constraints, decisions taken and why, files read or changed (with paths), " +
  "commands run and their outcome, errors met and how they were fixed, and what remains to do. " +
  "Write plain prose and short lists; quote identifiers and paths exactly; no preamble.";

export const SUMMARY_OPEN = "<conversation_summary>";
export const SUMMARY_CLOSE = "</conversation_summary>";

const TOOL_OUTPUT_CHARS = 2000;
const TEXT_CHARS = 8000;

export interface CompactOptions {
  messages: readonly Message[];
  /** The model that writes the summary (any ModelClient; the fast tier by default). */
  client: ModelClient;
  summaryModel?: { model?: string; tier?: ModelTier };
  counter: TokenCounter;
  contextWindow: number;
  /** Compact when the conversation reaches this many tokens (default 80% of the window). */
  thresholdTokens?: number;
  /** Compact regardless of size (after a context_length error). */
  force?: boolean;
  /** Recent tokens kept verbatim (default a quarter of the window). */
  keepRecentTokens?: number;
  maxSummaryTokens?: number;
  turn?: number;
  signal?: AbortSignal;
}

export type CompactResult =
  | {
      compacted: false;
      reason: "under_threshold" | "nothing_to_summarise";
      messages: Message[];
      tokens: number;
    }
  | {
      compacted: false;
      reason: "summary_failed";
      messages: Message[];
      tokens: number;
      error: { code: string; message: string };
      events: ModelStreamEvent[];
    }
  | {
      compacted: true;
      messages: Message[];
      summary: string;
      /** How many old messages the summary replaced. */
      replacedMessages: number;
      tokensBefore: number;
      tokensAfter: number;
      /** Everything the summary request streamed (usage included, for the session log). */
      events: ModelStreamEvent[];
    };

/**
 * `ok[i]` says whether the conversation may be cut before message i: no tool
 * call before the cut has its result at or after it.
 */
export function safeCuts(messages: readonly Message[]): boolean[] {
  const usedAt = new Map<string, number>();
  messages.forEach((message, i) => {
    for (const block of message.content) if (block.type === "tool_use") usedAt.set(block.callId, i);
  });
  const ok = messages.map(() => true);
  messages.forEach((message, i) => {
    for (const block of message.content) {
      if (block.type !== "tool_result") continue;
      const use = usedAt.get(block.callId);
      if (use === undefined) continue;
      for (let cut = use + 1; cut <= i; cut++) ok[cut] = false;
    }
  });
  return ok;
}

/**
 * The latest safe cut that still keeps `keepTokens` of recent conversation.
 * When even the earliest cut keeps less (a forced compaction of a small
 * conversation), the latest safe cut: summarise as much as possible.
 */
export function chooseCut(
  tokens: readonly number[],
  ok: readonly boolean[],
  keepTokens: number,
): number | undefined {
  let kept = 0;
  let latestSafe: number | undefined;
  for (let cut = tokens.length - 1; cut >= 1; cut--) {
    kept += tokens[cut] ?? 0;
    if (!ok[cut]) continue;
    latestSafe ??= cut;
    if (kept >= keepTokens) return cut;
  }
  return latestSafe;
}

function clip(text: string, max: number): string {
  return text.length <= max
    ? text
    : `${text.slice(0, max / 2)}\n[… ${text.length - max} characters left out …]\n${text.slice(-max / 2)}`;
}

function transcriptLine(role: Message["role"], block: ContentBlock): string | undefined {
  switch (block.type) {
    case "text":
      return `[${role}] ${clip(block.text, TEXT_CHARS)}`;
    case "tool_use":
      return `[assistant called ${block.name}] ${clip(block.argumentsJson, TEXT_CHARS)}`;
    case "tool_result":
      return `[tool result${block.isError ? " (error)" : ""}] ${clip(block.output, TOOL_OUTPUT_CHARS)}`;
    case "image":
      return `[${role} attached an image]`;
    case "thinking":
      return undefined; // reasoning is not part of what must be remembered
  }
}

/** The old turns as plain text, so the summariser needs no tool definitions. */
export function transcript(messages: readonly Message[]): string {
  const lines: string[] = [];
  for (const message of messages) {
    for (const block of message.content) {
      const line = transcriptLine(message.role, block);
      if (line !== undefined) lines.push(line);
    }
  }
  return lines.join("\n\n");
}

export function summaryMessageText(summary: string): string {
  return `${SUMMARY_OPEN}\n${summary.trim()}\n${SUMMARY_CLOSE}\nThe earlier part of this conversation was compacted into the summary above; continue from it.`;
}

async function writeSummary(
  options: CompactOptions,
  old: readonly Message[],
): Promise<
  | { ok: true; summary: string; events: ModelStreamEvent[] }
  | { ok: false; error: { code: string; message: string }; events: ModelStreamEvent[] }
> {
  const events: ModelStreamEvent[] = [];
  let text = "";
  let error: { code: string; message: string } | undefined;
  let stop = "error";
  const stream = options.client.stream(
    {
      turn: options.turn ?? 0,
      ...(options.summaryModel?.model !== undefined ? { model: options.summaryModel.model } : {}),
      tier: options.summaryModel?.tier ?? "fast",
      system: SUMMARY_SYSTEM,
      messages: [
        {
          role: "user",
          content: [{ type: "text", text: `Summarise this session transcript:\n\n${transcript(old)}` }],
        },
      ],
      tools: [],
      maxOutputTokens: options.maxSummaryTokens ?? 4096,
    },
    options.signal ? { signal: options.signal } : undefined,
  );
  for await (const event of stream) {
    events.push(event);
    if (event.type === "text_delta") text += event.text;
    else if (event.type === "retry" && event.discardPartial) text = "";
    else if (event.type === "error") error = { code: event.code, message: event.message };
    else if (event.type === "turn_end") stop = event.stopReason;
  }
  if (error !== undefined) return { ok: false, error, events };
  if (stop === "cancelled" || stop === "error" || text.trim() === "") {
    return { ok: false, error: { code: stop, message: `the summary did not complete (${stop})` }, events };
  }
  return { ok: true, summary: text, events };
}

export async function compactConversation(options: CompactOptions): Promise<CompactResult> {
  const messages = [...options.messages];
  const perMessage = messages.map((m) => countMessageTokens(m, options.counter));
  const tokens = perMessage.reduce((a, b) => a + b, 0);
  const threshold = options.thresholdTokens ?? Math.floor(options.contextWindow * 0.8);
  if (!options.force && tokens < threshold)
    return { compacted: false, reason: "under_threshold", messages, tokens };
  const keep = options.keepRecentTokens ?? Math.floor(options.contextWindow / 4);
  const cut = chooseCut(perMessage, safeCuts(messages), keep);
  if (cut === undefined) return { compacted: false, reason: "nothing_to_summarise", messages, tokens };

  const written = await writeSummary(options, messages.slice(0, cut));
  if (!written.ok) {
    return {
      compacted: false,
      reason: "summary_failed",
      messages,
      tokens,
      error: written.error,
      events: written.events,
    };
  }
  const summaryBlock: ContentBlock = { type: "text", text: summaryMessageText(written.summary) };
  const kept = messages.slice(cut);
  const first = kept[0];
  // The summary speaks as the user; a kept user message takes it in front of its own content.
  const compacted: Message[] =
    first?.role === "user"
      ? [{ role: "user", content: [summaryBlock, ...first.content] }, ...kept.slice(1)]
      : [{ role: "user", content: [summaryBlock] }, ...kept];
  const tokensAfter = compacted.reduce((sum, m) => sum + countMessageTokens(m, options.counter), 0);
  return {
    compacted: true,
    messages: compacted,
    summary: written.summary,
    replacedMessages: cut,
    tokensBefore: tokens,
    tokensAfter,
    events: written.events,
  };
}
