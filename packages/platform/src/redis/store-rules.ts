import { createHash } from "node:crypto";
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
import {
  type Checkpoint,
  type EventQuery,
  err,
  type FileSnapshot,
  type NewSession,
  ok,
  type RestoredFile,
  type RestoreResult,
  type SessionQuery,
  StoreError,
  type WorkspaceFiles,
} from "@toad/store";

/*
 * The input rules every SessionStore adapter shares. They mirror
 * packages/store/src/validate.ts, snapshots.ts and restore.ts, which
 * @toad/store does not export; the store's contract suite (run against this
 * adapter too) holds them to exactly the same behaviour. Once @toad/store
 * exports them, this file goes.
 */

const ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;
const ENVELOPE_KEYS = ["sessionId", "seq", "timestamp"] as const;

const invalid = (message: string) => new StoreError("invalid_input", message);

export interface ValidSession {
  id: string;
  cwd: string;
  model: string;
  permissionMode: PermissionMode;
  title: string;
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

export function stampValid(body: AgentEventBody, envelope: EventEnvelope): AgentEvent {
  if (typeof body !== "object" || body === null) {
    throw new StoreError("invalid_event", "an event body must be an object");
  }
  for (const key of ENVELOPE_KEYS) {
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

export function titleFrom(text: string): string {
  const line = text
    .split("\n")
    .map((candidate) => candidate.replace(/\s+/g, " ").trim())
    .find((candidate) => candidate !== "");
  if (line === undefined) return "";
  return line.length <= 80 ? line : `${line.slice(0, 79)}…`;
}

export interface PreparedFile {
  path: string;
  blob: { hash: string; bytes: Uint8Array } | null;
}

const encoder = new TextEncoder();

export function prepareSnapshots(files: readonly FileSnapshot[], cwd: string): PreparedFile[] {
  if (!Array.isArray(files) || files.length === 0) throw invalid("a checkpoint needs at least one file");
  const seen = new Set<string>();
  return files.map((file, index) => {
    const where = `files[${index}]`;
    if (typeof file !== "object" || file === null) throw invalid(`${where} is not an object`);
    if (typeof file.path !== "string" || file.path === "" || file.path.includes("\0")) {
      throw invalid(`${where}.path must be a non-empty path`);
    }
    const path = resolve(cwd, file.path);
    if (seen.has(path)) throw invalid(`${where}: ${path} is listed twice`);
    seen.add(path);
    if ("absent" in file && file.absent === true) return { path, blob: null };
    if (!("content" in file)) throw invalid(`${where} needs "content" or "absent: true"`);
    const { content } = file;
    let bytes: Uint8Array;
    if (typeof content === "string") bytes = encoder.encode(content);
    else if (content instanceof Uint8Array) bytes = content;
    else throw invalid(`${where}.content must be a string or a Uint8Array`);
    return { path, blob: { hash: createHash("sha256").update(bytes).digest("hex"), bytes } };
  });
}

/** What `undo` and `rewind` read and write, async (the store is across the network). */
export interface AsyncCheckpointSource {
  hasSession(sessionId: string): Promise<boolean>;
  checkpointsOf(sessionId: string): Promise<Checkpoint[]>;
  blob(hash: string): Promise<Uint8Array | undefined>;
  markReverted(sessionId: string, checkpointIds: readonly number[], at: number): Promise<void>;
}

export async function undoLatest(
  source: AsyncCheckpointSource,
  files: WorkspaceFiles,
  sessionId: string,
  now: number,
): Promise<RestoreResult> {
  if (!(await source.hasSession(sessionId))) return noSession(sessionId);
  const latest = (await source.checkpointsOf(sessionId)).filter((c) => c.revertedAt === null).at(-1);
  if (latest === undefined) {
    return err({ code: "nothing_to_undo", message: `session ${sessionId} has no edit left to undo` });
  }
  return revert(source, files, sessionId, [latest], now);
}

export async function rewindTo(
  source: AsyncCheckpointSource,
  files: WorkspaceFiles,
  sessionId: string,
  checkpointId: number,
  now: number,
): Promise<RestoreResult> {
  if (!(await source.hasSession(sessionId))) return noSession(sessionId);
  const all = await source.checkpointsOf(sessionId);
  if (!all.some((checkpoint) => checkpoint.id === checkpointId)) {
    return err({
      code: "checkpoint_not_found",
      message: `session ${sessionId} has no checkpoint ${checkpointId}`,
    });
  }
  const live = all.filter((checkpoint) => checkpoint.id >= checkpointId && checkpoint.revertedAt === null);
  return revert(source, files, sessionId, live, now);
}

async function revert(
  source: AsyncCheckpointSource,
  files: WorkspaceFiles,
  sessionId: string,
  checkpoints: readonly Checkpoint[],
  now: number,
): Promise<RestoreResult> {
  // The oldest snapshot of each path holds its content from before all of them.
  const plan = new Map<string, string | null>();
  for (const checkpoint of checkpoints) {
    for (const file of checkpoint.files) if (!plan.has(file.path)) plan.set(file.path, file.blobHash);
  }
  // Every blob is read before the first file is touched: a damaged store fails with nothing changed.
  const entries: { path: string; content: Uint8Array | null }[] = [];
  for (const [path, blobHash] of plan) {
    if (blobHash === null) {
      entries.push({ path, content: null });
      continue;
    }
    const content = await source.blob(blobHash);
    if (content === undefined) throw new StoreError("corrupt_data", `blob ${blobHash} of ${path} is missing`);
    entries.push({ path, content });
  }
  const restored: RestoredFile[] = [];
  const failed: { path: string; message: string }[] = [];
  for (const entry of entries) {
    try {
      if (entry.content === null) {
        await files.remove(entry.path);
        restored.push({ path: entry.path, action: "deleted" });
      } else {
        await files.write(entry.path, entry.content);
        restored.push({ path: entry.path, action: "written" });
      }
    } catch (error) {
      failed.push({ path: entry.path, message: (error as Error).message });
    }
  }
  if (failed.length > 0) {
    const names = failed.map((failure) => `${failure.path} (${failure.message})`).join(", ");
    return err({ code: "restore_failed", message: `could not restore ${names}`, restored, failed });
  }
  const checkpointIds = checkpoints.map((checkpoint) => checkpoint.id);
  await source.markReverted(sessionId, checkpointIds, now);
  return ok({ checkpointIds, files: restored });
}

function noSession(sessionId: string): RestoreResult {
  return err({ code: "session_not_found", message: `no session ${sessionId}` });
}
