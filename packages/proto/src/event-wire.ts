import { AgentEvent } from "./gen/toad/v1/events.js";

/** What an implementation may stream: ts-proto completes partial events before encoding them. */
type PartialEvent = Parameters<typeof AgentEvent.fromPartial>[0];

/**
 * `AgentEvent` to its wire bytes, the same bytes as ts-proto's
 * `AgentEvent.encode(AgentEvent.fromPartial(event))`. Text deltas, most of
 * what a session streams, are written straight into one buffer of their
 * exact size (the generic writer grows chunks, joins them and goes through
 * BigInt for the int64 timestamp); any other event, or one with a field out
 * of the plain range, takes the generated code.
 */
export function encodeAgentEvent(event: PartialEvent): Uint8Array {
  return encodeTextDelta(event) ?? AgentEvent.encode(AgentEvent.fromPartial(event)).finish();
}

// Tags: field number << 3 | wire type (0 varint, 2 length-delimited).
const SESSION_ID_TAG = (1 << 3) | 2;
const SEQ_TAG = 2 << 3;
const TIMESTAMP_TAG = 3 << 3;
const TEXT_DELTA_TAG = (13 << 3) | 2;
const TEXT_TAG = (1 << 3) | 2;

function encodeTextDelta(event: PartialEvent): Buffer | undefined {
  const { sessionId, seq, timestampMs, kind } = event;
  if (kind?.$case !== "textDelta" || typeof kind.value?.text !== "string") return undefined;
  if (typeof sessionId !== "string" || !isPlainCount(seq) || !isPlainCount(timestampMs)) return undefined;
  const text = kind.value.text;
  const sessionIdBytes = Buffer.byteLength(sessionId);
  const textBytes = Buffer.byteLength(text);
  const inner = textBytes === 0 ? 0 : 1 + varintSize(textBytes) + textBytes;
  const size =
    (sessionIdBytes === 0 ? 0 : 1 + varintSize(sessionIdBytes) + sessionIdBytes) +
    (seq === 0 ? 0 : 1 + varintSize(seq)) +
    (timestampMs === 0 ? 0 : 1 + varintSize(timestampMs)) +
    1 +
    varintSize(inner) +
    inner;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  if (sessionIdBytes !== 0) {
    out[at++] = SESSION_ID_TAG;
    at = writeVarint(out, at, sessionIdBytes);
    at += out.write(sessionId, at, "utf8");
  }
  if (seq !== 0) {
    out[at++] = SEQ_TAG;
    at = writeVarint(out, at, seq);
  }
  if (timestampMs !== 0) {
    out[at++] = TIMESTAMP_TAG;
    at = writeVarint(out, at, timestampMs);
  }
  out[at++] = TEXT_DELTA_TAG;
  at = writeVarint(out, at, inner);
  if (textBytes !== 0) {
    out[at++] = TEXT_TAG;
    at = writeVarint(out, at, textBytes);
    out.write(text, at, "utf8");
  }
  return out;
}

/** A non-negative safe integer: its varint is what uint64 and int64 both write. */
function isPlainCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function varintSize(value: number): number {
  let size = 1;
  for (let rest = value; rest >= 128; rest = Math.floor(rest / 128)) size++;
  return size;
}

/** Writes `value` (a non-negative safe integer) as a varint; arithmetic, since bit operators stop at 32 bits. */
function writeVarint(out: Buffer, at: number, value: number): number {
  let rest = value;
  let next = at;
  while (rest >= 128) {
    out[next++] = (rest % 128) | 128;
    rest = Math.floor(rest / 128);
  }
  out[next++] = rest;
  return next;
}
