import { EventDecodeError } from "./enum-table.js";
import {
  type AgentEvent,
  type AgentEventType,
  APPROVAL_KINDS,
  DECIDERS,
  DECISIONS,
  PERMISSION_MODES,
  STOP_REASONS,
} from "./events.js";
import { isCanonicalBase64 } from "./user-images.js";

/**
 * JSON lines: how events are printed by `--output-format stream-json` and
 * read back from logs and pipes. One event per line, the core model as is.
 */

/** A list of objects, each checked field by field (never empty: an empty list is left out). */
interface ListKind {
  items: Record<string, FieldSpec>;
  /** `items` as checkObject reads them, filled on first use. */
  shape?: Shape;
  /** Extra checks of one item, naming the problem. */
  check?(item: Record<string, unknown>): string | undefined;
}
type FieldKind = "string" | "number" | "boolean" | readonly string[] | ListKind;
interface FieldSpec {
  kind: FieldKind;
  optional?: boolean;
}

const str: FieldSpec = { kind: "string" };
const optStr: FieldSpec = { kind: "string", optional: true };
const num: FieldSpec = { kind: "number" };
const bool: FieldSpec = { kind: "boolean" };
const oneOf = (values: readonly string[]): FieldSpec => ({ kind: values });

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** `UserImage`: the data must be canonical base64 so the proto mapping (bytes) gives it back unchanged. */
const images: FieldSpec = {
  optional: true,
  kind: {
    items: { mediaType: str, sha256: str, dataBase64: optStr, source: optStr },
    check(item) {
      if (!String(item.mediaType).startsWith("image/")) return "mediaType must be an image/* type";
      if (!SHA256_HEX.test(String(item.sha256))) return "sha256 must be 64 lower-case hex digits";
      if (typeof item.dataBase64 === "string" && !isCanonicalBase64(item.dataBase64)) {
        return "dataBase64 is not canonical base64";
      }
      return undefined;
    },
  },
};

/** The runtime shape of every event type; the compiler checks it covers them all. */
const EVENT_FIELDS: Record<AgentEventType, Record<string, FieldSpec>> = {
  session_started: { cwd: str, model: str, permissionMode: oneOf(PERMISSION_MODES) },
  user_message: { text: str, images },
  turn_start: { turn: num, model: str, provider: str },
  text_delta: { text: str },
  thinking_delta: { text: str, signature: optStr, redacted: bool },
  tool_call_start: { callId: str, name: str },
  tool_call_delta: { callId: str, argumentsDelta: str },
  tool_call_complete: { callId: str, name: str, argumentsJson: str },
  tool_result: { callId: str, name: str, output: str, isError: bool, errorKind: optStr, durationMs: num },
  approval_request: {
    requestId: str,
    callId: str,
    tool: str,
    kind: oneOf(APPROVAL_KINDS),
    summary: str,
    diff: optStr,
    command: optStr,
    subagent: optStr,
  },
  approval_decision: {
    requestId: str,
    decision: oneOf(DECISIONS),
    decidedBy: oneOf(DECIDERS),
    reason: optStr,
    editedArgumentsJson: optStr,
  },
  usage: {
    model: str,
    inputTokens: num,
    outputTokens: num,
    cacheReadTokens: num,
    cacheWriteTokens: num,
    costUsd: num,
  },
  retry: { attempt: num, delayMs: num, reason: str, discardPartial: bool, nextModel: optStr },
  error: { code: str, message: str, retryable: bool },
  turn_end: { turn: num, stopReason: oneOf(STOP_REASONS) },
};

const ENVELOPE_FIELDS: Record<string, FieldSpec> = { sessionId: str, seq: num, timestamp: num };

export function serializeEvent(event: AgentEvent): string {
  return JSON.stringify(event);
}

/** Parses and validates one JSON line; throws `EventDecodeError` naming the first problem. */
export function parseEvent(line: string): AgentEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new EventDecodeError(`not JSON: ${(error as Error).message}`);
  }
  assertEvent(value);
  return value;
}

export function isAgentEventType(type: unknown): type is AgentEventType {
  return typeof type === "string" && Object.hasOwn(EVENT_FIELDS, type);
}

/**
 * Each type's fields with the envelope's, and the keys an event of it may
 * carry, worked out once: events are checked on every append, deltas included.
 */
interface Shape {
  fields: readonly (readonly [string, FieldSpec])[];
  allowed: ReadonlySet<string>;
}
const shapeOf = (fields: Record<string, FieldSpec>, also: readonly string[] = []): Shape => ({
  fields: Object.entries(fields),
  allowed: new Set([...Object.keys(fields), ...also]),
});
const EVENT_SHAPES = new Map<string, Shape>(
  Object.entries(EVENT_FIELDS).map(([type, fields]) => [
    type,
    shapeOf({ ...ENVELOPE_FIELDS, ...fields }, ["type"]),
  ]),
);

export function assertEvent(value: unknown): asserts value is AgentEvent {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new EventDecodeError("an event must be a JSON object");
  }
  const record = value as Record<string, unknown>;
  const type = record.type;
  const shape = typeof type === "string" ? EVENT_SHAPES.get(type) : undefined;
  if (shape === undefined) throw new EventDecodeError(`unknown event type ${JSON.stringify(type)}`);
  checkObject(type as string, record, shape);
}

function checkObject(where: string, record: Record<string, unknown>, shape: Shape): void {
  for (const [name, spec] of shape.fields) checkField(where, name, spec, record[name]);
  for (const name of Object.keys(record)) {
    if (!shape.allowed.has(name)) throw new EventDecodeError(`${where}: unexpected field "${name}"`);
  }
}

function checkList(where: string, kind: ListKind, value: unknown): void {
  if (!Array.isArray(value) || value.length === 0) {
    throw new EventDecodeError(`${where}: expected a non-empty list (leave the field out when empty)`);
  }
  value.forEach((item: unknown, index) => {
    const at = `${where}[${index}]`;
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      throw new EventDecodeError(`${at}: expected an object`);
    }
    const record = item as Record<string, unknown>;
    kind.shape ??= shapeOf(kind.items);
    checkObject(at, record, kind.shape);
    const problem = kind.check?.(record);
    if (problem !== undefined) throw new EventDecodeError(`${at}: ${problem}`);
  });
}

function checkField(type: string, name: string, spec: FieldSpec, value: unknown): void {
  if (value === undefined) {
    if (spec.optional) return;
    throw new EventDecodeError(`${type}: missing field "${name}"`);
  }
  const { kind } = spec;
  if (isListKind(kind)) {
    checkList(`${type}.${name}`, kind, value);
    return;
  }
  if (typeof kind === "string") {
    const ok = typeof value === kind && (kind !== "number" || Number.isFinite(value));
    if (!ok) throw new EventDecodeError(`${type}.${name}: expected ${kind}, got ${JSON.stringify(value)}`);
    return;
  }
  if (typeof value !== "string" || !kind.includes(value)) {
    throw new EventDecodeError(
      `${type}.${name}: expected one of ${kind.join(", ")}, got ${JSON.stringify(value)}`,
    );
  }
}

function isListKind(kind: FieldKind): kind is ListKind {
  return typeof kind === "object" && "items" in kind;
}
