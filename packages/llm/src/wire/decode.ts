import type { CredentialHint } from "../errors.js";
import { AnthropicStreamDecoder } from "./anthropic-stream.js";
import { ChatStreamDecoder } from "./chat-stream.js";
import { ResponsesStreamDecoder } from "./responses-stream.js";
import { parseSseText, type SseEvent } from "./sse.js";
import type { ContentEvent, DecodeOutcome, StreamDecoder } from "./types.js";

/** The three wire formats TOAD speaks. OpenAI-compatible servers use "openai-chat". */
export const WIRE_APIS = ["anthropic", "openai-chat", "openai-responses"] as const;
export type WireApi = (typeof WIRE_APIS)[number];

export function createDecoder(api: WireApi, hint: CredentialHint): StreamDecoder {
  switch (api) {
    case "anthropic":
      return new AnthropicStreamDecoder(hint);
    case "openai-chat":
      return new ChatStreamDecoder(hint);
    case "openai-responses":
      return new ResponsesStreamDecoder(hint);
  }
}

/**
 * Feeds the event left without its closing blank line at the end of a body.
 * Real servers end every event properly; recorded files often lose the last
 * newline. A whole JSON payload is taken; a half one means the stream was cut.
 */
export function feedTail(decoder: StreamDecoder, tail: SseEvent | undefined, out: ContentEvent[]): boolean {
  if (tail === undefined || decoder.done) return false;
  const data = tail.data.trim();
  let whole = data === "[DONE]";
  if (!whole) {
    try {
      JSON.parse(data);
      whole = true;
    } catch {
      whole = false;
    }
  }
  if (whole) decoder.push(tail, out);
  return !whole;
}

/** Decodes a complete recorded body (fixtures, tests, the bench). */
export function decodeSseText(
  api: WireApi,
  text: string,
  hint: CredentialHint = { provider: api, apiKeyEnv: undefined },
): { events: ContentEvent[]; outcome: DecodeOutcome } {
  const decoder = createDecoder(api, hint);
  const { events: sse, unterminated } = parseSseText(text);
  const out: ContentEvent[] = [];
  for (const event of sse) {
    if (decoder.done) break;
    decoder.push(event, out);
  }
  const cut = feedTail(decoder, unterminated, out);
  return { events: out, outcome: decoder.finish(out, cut) };
}
