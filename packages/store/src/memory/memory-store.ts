import { type AgentEvent, type AgentEventBody, serializeEvent } from "@toad/core";
import { type StoreDeps, withDefaults } from "../deps.js";
import { StoreError } from "../errors.js";
import type { WorkspaceFiles } from "../files.js";
import type {
  Checkpoint,
  EventQuery,
  FileSnapshot,
  NewSession,
  RestoreResult,
  SessionQuery,
  SessionRecord,
  SessionStore,
} from "../port.js";
import { type CheckpointSource, rewindTo, undoLatest } from "../restore.js";
import { prepareSnapshots } from "../snapshots.js";
import {
  stampValid,
  titleFrom,
  validCheckpointSeq,
  validCwd,
  validEventQuery,
  validNewSession,
  validSessionQuery,
} from "../validate.js";

interface SessionEntry {
  record: SessionRecord;
  /** Creation order, the tie-break when two sessions were active in the same millisecond. */
  order: number;
  /** Serialized, as the SQLite adapter keeps them: callers can never mutate the log through a reference. */
  events: string[];
  checkpoints: Checkpoint[];
}

/**
 * The `SessionStore` in process memory: the same contract as the SQLite
 * adapter (the same test suite runs against both), for fast tests of code
 * that needs a store. Nothing survives the process.
 */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, SessionEntry>();
  private readonly blobs = new Map<string, Uint8Array>();
  private nextCheckpointId = 1;
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly files: WorkspaceFiles;
  private readonly source: CheckpointSource;

  constructor(deps: StoreDeps = {}) {
    ({ now: this.now, newId: this.newId, files: this.files } = withDefaults(deps));
    this.source = {
      hasSession: (id) => this.sessions.has(id),
      checkpointsOf: (id) => this.sessions.get(id)?.checkpoints.map(copyCheckpoint) ?? [],
      blob: (hash) => this.blobs.get(hash),
      markReverted: (_sessionId, ids, at) => {
        for (const entry of this.sessions.values()) {
          for (const checkpoint of entry.checkpoints) {
            if (ids.includes(checkpoint.id) && checkpoint.revertedAt === null) checkpoint.revertedAt = at;
          }
        }
      },
    };
  }

  async create(input: NewSession): Promise<SessionRecord> {
    const session = validNewSession(input, this.newId);
    if (this.sessions.has(session.id)) {
      throw new StoreError("session_exists", `a session ${session.id} already exists`);
    }
    const at = this.now();
    const record: SessionRecord = { ...session, createdAt: at, updatedAt: at, lastSeq: 0, costUsd: 0 };
    this.sessions.set(session.id, { record, order: this.sessions.size, events: [], checkpoints: [] });
    return { ...record };
  }

  async get(sessionId: string): Promise<SessionRecord | undefined> {
    const entry = this.sessions.get(sessionId);
    return entry === undefined ? undefined : { ...entry.record };
  }

  async list(query?: SessionQuery): Promise<SessionRecord[]> {
    const { cwd, limit } = validSessionQuery(query);
    return [...this.sessions.values()]
      .filter((entry) => cwd === undefined || entry.record.cwd === cwd)
      .sort((a, b) => b.record.updatedAt - a.record.updatedAt || b.order - a.order)
      .slice(0, limit)
      .map((entry) => ({ ...entry.record }));
  }

  async latest(cwd: string): Promise<SessionRecord | undefined> {
    const [first] = await this.list({ cwd: validCwd(cwd), limit: 1 });
    return first;
  }

  async append(sessionId: string, body: AgentEventBody): Promise<AgentEvent> {
    const entry = this.entry(sessionId);
    const { record } = entry;
    const event = stampValid(body, { sessionId, seq: record.lastSeq + 1, timestamp: this.now() });
    entry.events.push(serializeEvent(event));
    record.lastSeq = event.seq;
    record.updatedAt = Math.max(record.updatedAt, event.timestamp);
    if (event.type === "usage") record.costUsd += event.costUsd;
    if (event.type === "user_message" && record.title === "") record.title = titleFrom(event.text);
    return event;
  }

  async events(sessionId: string, query?: EventQuery): Promise<AgentEvent[]> {
    const { afterSeq, limit } = validEventQuery(query);
    const lines = this.entry(sessionId).events.slice(afterSeq);
    return (limit === undefined ? lines : lines.slice(0, limit)).map(
      (line) => JSON.parse(line) as AgentEvent,
    );
  }

  async checkpoint(sessionId: string, seq: number, files: readonly FileSnapshot[]): Promise<Checkpoint> {
    const entry = this.entry(sessionId);
    validCheckpointSeq(seq, entry.record.lastSeq);
    const prepared = prepareSnapshots(files, entry.record.cwd);
    for (const { blob } of prepared) {
      // Copied: the caller may reuse its buffer after the call.
      if (blob !== null && !this.blobs.has(blob.hash)) this.blobs.set(blob.hash, Uint8Array.from(blob.bytes));
    }
    const checkpoint: Checkpoint = {
      id: this.nextCheckpointId++,
      sessionId,
      seq,
      createdAt: this.now(),
      revertedAt: null,
      files: prepared.map(({ path, blob }) => ({
        path,
        blobHash: blob?.hash ?? null,
        size: blob?.bytes.byteLength ?? 0,
      })),
    };
    entry.checkpoints.push(checkpoint);
    return copyCheckpoint(checkpoint);
  }

  async checkpoints(sessionId: string): Promise<Checkpoint[]> {
    return this.entry(sessionId).checkpoints.map(copyCheckpoint);
  }

  async undo(sessionId: string): Promise<RestoreResult> {
    return undoLatest(this.source, this.files, sessionId, this.now());
  }

  async rewind(sessionId: string, checkpointId: number): Promise<RestoreResult> {
    return rewindTo(this.source, this.files, sessionId, checkpointId, this.now());
  }

  async close(): Promise<void> {}

  /** Bytes held for checkpoints, deduplicated: what the SQLite adapter's `blobs` table would hold. */
  blobBytes(): number {
    let total = 0;
    for (const blob of this.blobs.values()) total += blob.byteLength;
    return total;
  }

  private entry(sessionId: string): SessionEntry {
    const entry = this.sessions.get(sessionId);
    if (entry === undefined) throw new StoreError("session_not_found", `no session ${sessionId}`);
    return entry;
  }
}

function copyCheckpoint(checkpoint: Checkpoint): Checkpoint {
  return { ...checkpoint, files: checkpoint.files.map((file) => ({ ...file })) };
}
