import { isAbsolute, resolve } from "node:path";
import {
  type AgentEvent,
  type AgentEventBody,
  assertEvent,
  type EventEnvelope,
  PERMISSION_MODES,
  type PermissionMode,
  stampEvent,
} from "@toad/core";
import { StoreError } from "./errors.js";
import type { EventQuery, NewSession, SessionQuery } from "./port.js";

/**
 * Input checks shared by every adapter, so they accept and refuse exactly
 * the same things (the contract tests hold them to it).
 */

const ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;
const ENVELOPE_KEYS = ["sessionId", "seq", "timestamp"] as const;

export interface ValidSession {
  id: string;
  cwd: string;
  model: string;
  permissionMode: PermissionMode;
  title: string;
}

function invalid(message: string): StoreError {
  return new StoreError("invalid_input", message);
}

export function validNewSession(input: NewSession, newId: () => string): ValidSession {
  if (typeof input !== "object" || input === null) throw invalid("a new session must be an object");
  const id = input.id ?? newId();
  if (typeof id !== "string" || !ID_PATTERN.test(id)) {
    throw invalid(`session id ${JSON.stringify(id)} must be 1-128 characters of A-Z a-z 0-9 . _ -`);
  }
  if (typeof input.model !== "string" || input.model === "")
    throw invalid("model must be a non-empty string");
  if (!(PERMISSION_MODES as readonly unknown[]).includes(input.permissionMode)) {
    throw invalid(
      `permissionMode ${JSON.stringify(input.permissionMode)} must be one of ${PERMISSION_MODES.join(", ")}`,
    );
  }
  const title = input.title ?? "";
  if (typeof title !== "string") throw invalid("title must be a string");
  return { id, cwd: validCwd(input.cwd), model: input.model, permissionMode: input.permissionMode, title };
}

/** An absolute directory, normalised so that `/a/b/` and `/a/./b` list together. */
export function validCwd(cwd: unknown): string {
  if (typeof cwd !== "string" || !isAbsolute(cwd) || cwd.includes("\0")) {
    throw invalid(`cwd ${JSON.stringify(cwd)} must be an absolute path`);
  }
  return resolve(cwd);
}

function validCount(name: string, value: number | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < min) throw invalid(`${name} must be an integer >= ${min}`);
  return value;
}

export function validSessionQuery(query: SessionQuery | undefined): { cwd?: string; limit?: number } {
  const cwd = query?.cwd === undefined ? undefined : validCwd(query.cwd);
  const limit = validCount("limit", query?.limit, 1);
  return { ...(cwd === undefined ? {} : { cwd }), ...(limit === undefined ? {} : { limit }) };
}

export function validEventQuery(query: EventQuery | undefined): { afterSeq: number; limit?: number } {
  const afterSeq = validCount("afterSeq", query?.afterSeq, 0) ?? 0;
  const limit = validCount("limit", query?.limit, 1);
  return limit === undefined ? { afterSeq } : { afterSeq, limit };
}

/** Stamps and validates; a body that is not a core event never reaches the log. */
export function stampValid(body: AgentEventBody, envelope: EventEnvelope): AgentEvent {
  if (typeof body !== "object" || body === null) {
    throw new StoreError("invalid_event", "an event body must be an object");
  }
  for (const key of ENVELOPE_KEYS) {
    // stampEvent lets the body win, so a stale envelope would silently replace the new one.
    if (Object.hasOwn(body, key)) {
      throw new StoreError("invalid_event", `an event body must not carry "${key}"; the store stamps it`);
    }
  }
  const event = stampEvent(body, envelope);
  try {
    assertEvent(event);
  } catch (error) {
    throw new StoreError("invalid_event", `not a core event: ${(error as Error).message}`, { cause: error });
  }
  return event;
}

export function validCheckpointSeq(seq: number, lastSeq: number): number {
  if (!Number.isSafeInteger(seq) || seq < 0 || seq > lastSeq) {
    throw invalid(`checkpoint seq ${seq} must be an integer between 0 and the log's last seq (${lastSeq})`);
  }
  return seq;
}

/** The first line of the first user message, shortened: what `toad sessions` shows. */
export function titleFrom(text: string): string {
  const line = text
    .split("\n")
    .map((candidate) => candidate.replace(/\s+/g, " ").trim())
    .find((candidate) => candidate !== "");
  if (line === undefined) return "";
  return line.length <= 80 ? line : `${line.slice(0, 79)}…`;
}
