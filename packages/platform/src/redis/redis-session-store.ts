import { randomUUID } from "node:crypto";
import { type AgentEvent, type AgentEventBody, serializeEvent } from "@toad/core";
import {
  type Checkpoint,
  type CheckpointSource,
  type EventQuery,
  type FileSnapshot,
  localFiles,
  type NewSession,
  prepareSnapshots,
  type RestoreResult,
  rewindTo,
  type SessionQuery,
  type SessionRecord,
  type SessionStore,
  type StoreDeps,
  StoreError,
  stampValid,
  titleFrom,
  undoLatest,
  validCheckpointSeq,
  validCwd,
  validEventQuery,
  validNewSession,
  validSessionQuery,
  type WorkspaceFiles,
} from "@toad/store";
import type { Redis } from "ioredis";
import { RedisScript } from "./script.js";

const keys = {
  session: (id: string) => `s:${id}`,
  events: (id: string) => `s:${id}:ev`,
  checkpoints: (id: string) => `s:${id}:cp`,
  all: "sessions",
  byCwd: (cwd: string) => `cwd:${cwd}`,
  order: "session-order",
  checkpointId: "checkpoint-id",
  blob: (hash: string) => `blob:${hash}`,
};

// Creates the session unless its id is taken; numbers it (the listing's tie-break,
// in creation order) and indexes it for list/latest, in one round trip. Returns
// the index member, or 0 when the id is taken.
const CREATE = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local member = string.format('%015d', redis.call('INCR', KEYS[4])) .. ':' .. ARGV[2]
redis.call('HSET', KEYS[1], 'member', member, unpack(ARGV, 3))
redis.call('ZADD', KEYS[2], ARGV[1], member)
redis.call('ZADD', KEYS[3], ARGV[1], member)
return member`);

// Appends one event if the log is still at the seq the caller stamped against
// (compare-and-set: concurrent writers never share a seq), and moves the
// session's summary with it, in one atomic step. ARGV: the seq stamped
// against, the event's seq, the event, updatedAt, then (with the two index
// keys) the session's index member, then any other summary fields that
// changed as field/value pairs. The indexes are re-scored only when the
// caller says (see INDEX_LAG_MS), so a text delta is one RPUSH and one HSET.
const APPEND = new RedisScript(`
local last = redis.call('HGET', KEYS[1], 'lastSeq')
if not last then return -1 end
if last ~= ARGV[1] then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[3])
local more = 5
if #KEYS == 4 then
  redis.call('ZADD', KEYS[3], ARGV[4], ARGV[5])
  redis.call('ZADD', KEYS[4], ARGV[4], ARGV[5])
  more = 6
end
redis.call('HSET', KEYS[1], 'lastSeq', ARGV[2], 'updatedAt', ARGV[4], unpack(ARGV, more))
return 1`);

/**
 * How far a session's score in the listing indexes may trail its updatedAt.
 * Re-scoring both sorted sets on every streamed delta cost Redis and the
 * client more than the append itself; list() reads this much further down
 * the index and orders by the exact updatedAt, so what it returns is the same.
 */
export const INDEX_LAG_MS = 1_000;

const HEAD_FIELDS = ["lastSeq", "updatedAt", "costUsd", "title", "cwd", "member"] as const;
/** A session's summary as this store last wrote or read it. */
interface Head {
  lastSeq: number;
  updatedAt: number;
  costUsd: number;
  title: string;
  cwd: string;
  member: string;
  /** The score this store last gave the session in the indexes (-Infinity: not known). */
  indexedAt: number;
}
const MAX_CACHED_HEADS = 10_000;

export interface RedisStoreOptions extends StoreDeps {
  /** Whether `close` quits the connection (false when the caller shares it). Default true. */
  ownsConnection?: boolean;
}

/**
 * The `SessionStore` on Redis, for the cluster: any number of session-service
 * replicas share it, and the same contract suite as the SQLite adapter runs
 * against it. Each session's log is a Redis list; an append is one atomic
 * script that checks the seq it stamped is still next (so concurrent writers
 * never share or skip a seq) and is acknowledged only once Redis has it. How
 * durable that is depends on Redis' persistence: with `appendonly yes` and
 * `appendfsync always` an acknowledged event survives a Redis restart or a
 * power cut (services/README.md).
 */
export class RedisSessionStore implements SessionStore {
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly files: WorkspaceFiles;
  private readonly source: CheckpointSource;
  private readonly heads = new Map<string, Head>();

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisStoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? randomUUID;
    this.files = options.files ?? localFiles;
    this.source = {
      hasSession: async (id) => (await this.redis.exists(keys.session(id))) === 1,
      checkpointsOf: (id) => this.readCheckpoints(id),
      blob: async (hash) => {
        const bytes = await this.redis.getBuffer(keys.blob(hash));
        return bytes === null ? undefined : new Uint8Array(bytes);
      },
      markReverted: async (sessionId, ids, at) => {
        const all = await this.readCheckpoints(sessionId);
        const multi = this.redis.multi();
        for (const checkpoint of all) {
          if (ids.includes(checkpoint.id) && checkpoint.revertedAt === null) {
            multi.hset(
              keys.checkpoints(sessionId),
              String(checkpoint.id),
              JSON.stringify({ ...checkpoint, revertedAt: at }),
            );
          }
        }
        await multi.exec();
      },
    };
  }

  async create(input: NewSession): Promise<SessionRecord> {
    const session = validNewSession(input, this.newId);
    const at = this.now();
    const record: SessionRecord = { ...session, createdAt: at, updatedAt: at, lastSeq: 0, costUsd: 0 };
    const member = await CREATE.run(
      this.redis,
      [keys.session(session.id), keys.all, keys.byCwd(record.cwd), keys.order],
      [String(at), session.id, ...Object.entries(serializeRecord(record)).flat()],
    );
    if (typeof member !== "string")
      throw new StoreError("session_exists", `a session ${session.id} already exists`);
    this.remember(session.id, {
      lastSeq: 0,
      updatedAt: at,
      costUsd: 0,
      title: record.title,
      cwd: record.cwd,
      member,
      indexedAt: at,
    });
    return record;
  }

  async get(sessionId: string): Promise<SessionRecord | undefined> {
    return recordFrom(await this.redis.hgetall(keys.session(sessionId)));
  }

  async list(query?: SessionQuery): Promise<SessionRecord[]> {
    const { cwd, limit } = validSessionQuery(query);
    const index = cwd === undefined ? keys.all : keys.byCwd(cwd);
    // Scores trail updatedAt by less than INDEX_LAG_MS: everything that may belong in the first
    // `limit` scores at least (the limit-th score - INDEX_LAG_MS). Read that, order it exactly.
    let members: string[];
    if (limit === undefined) {
      members = await this.redis.zrevrange(index, 0, -1);
    } else {
      const [, cutoff] = await this.redis.zrevrange(index, limit - 1, limit - 1, "WITHSCORES");
      members =
        cutoff === undefined
          ? await this.redis.zrevrange(index, 0, -1)
          : await this.redis.zrevrangebyscore(index, "+inf", `(${Number(cutoff) - INDEX_LAG_MS}`);
    }
    const pipeline = this.redis.pipeline();
    for (const member of members) pipeline.hgetall(keys.session(idOf(member)));
    const rows = (await pipeline.exec()) ?? [];
    const listed: { record: SessionRecord; member: string }[] = [];
    rows.forEach(([error, row], at) => {
      const record = error ? undefined : recordFrom(row as Record<string, string>);
      if (record) listed.push({ record, member: members[at] as string });
    });
    // The index's own order, on the exact time: newest first, ties by member, highest first.
    listed.sort(
      (a, b) =>
        b.record.updatedAt - a.record.updatedAt || (a.member < b.member ? 1 : a.member > b.member ? -1 : 0),
    );
    const records = listed.map(({ record }) => record);
    return limit === undefined ? records : records.slice(0, limit);
  }

  async latest(cwd: string): Promise<SessionRecord | undefined> {
    const [first] = await this.list({ cwd: validCwd(cwd), limit: 1 });
    return first;
  }

  async append(sessionId: string, body: AgentEventBody): Promise<AgentEvent> {
    // The head this store last wrote is usually still current (one writer per session): stamp
    // against it, and read it again only when the compare-and-set says another writer went first.
    let fresh = false;
    for (;;) {
      const head = await this.head(sessionId, fresh);
      const event = stampValid(body, { sessionId, seq: head.lastSeq + 1, timestamp: this.now() });
      const updatedAt = Math.max(head.updatedAt, event.timestamp);
      const reindex = updatedAt - head.indexedAt >= INDEX_LAG_MS;
      const next: Head = {
        lastSeq: event.seq,
        updatedAt,
        costUsd: head.costUsd,
        title: head.title,
        cwd: head.cwd,
        member: head.member,
        indexedAt: reindex ? updatedAt : head.indexedAt,
      };
      const args = [String(head.lastSeq), String(event.seq), serializeEvent(event), String(updatedAt)];
      if (reindex) args.push(head.member);
      if (event.type === "usage" && event.costUsd !== 0) {
        next.costUsd = head.costUsd + event.costUsd;
        args.push("costUsd", String(next.costUsd));
      }
      if (event.type === "user_message" && head.title === "") {
        next.title = titleFrom(event.text);
        args.push("title", next.title);
      }
      const result = await APPEND.run(
        this.redis,
        reindex
          ? [keys.session(sessionId), keys.events(sessionId), keys.all, keys.byCwd(head.cwd)]
          : [keys.session(sessionId), keys.events(sessionId)],
        args,
      );
      if (result === 1) {
        this.remember(sessionId, next);
        return event;
      }
      this.heads.delete(sessionId);
      if (result === -1) throw new StoreError("session_not_found", `no session ${sessionId}`);
      fresh = true;
    }
  }

  /** A session's summary fields as Redis holds them (or as this store last wrote them). */
  private async head(sessionId: string, fresh: boolean): Promise<Head> {
    const cached = fresh ? undefined : this.heads.get(sessionId);
    if (cached) return cached;
    const raw = await this.redis.hmget(keys.session(sessionId), ...HEAD_FIELDS);
    const [lastSeq, updatedAt, costUsd, title, cwd, member] = raw.map((value) => value ?? undefined);
    if (!lastSeq || !updatedAt || !costUsd || !cwd || !member) {
      throw new StoreError("session_not_found", `no session ${sessionId}`);
    }
    const head: Head = {
      lastSeq: Number(lastSeq),
      updatedAt: Number(updatedAt),
      costUsd: Number(costUsd),
      title: title ?? "",
      cwd,
      member,
      // Another writer may have scored it later than this store knows: score it on the next append.
      indexedAt: Number.NEGATIVE_INFINITY,
    };
    this.remember(sessionId, head);
    return head;
  }

  private remember(sessionId: string, head: Head): void {
    this.heads.delete(sessionId);
    this.heads.set(sessionId, head);
    for (const oldest of this.heads.keys()) {
      if (this.heads.size <= MAX_CACHED_HEADS) break;
      this.heads.delete(oldest);
    }
  }

  async events(sessionId: string, query?: EventQuery): Promise<AgentEvent[]> {
    const { afterSeq, limit } = validEventQuery(query);
    const [[, exists], [, lines]] = (await this.redis
      .multi()
      .exists(keys.session(sessionId))
      .lrange(keys.events(sessionId), afterSeq, limit === undefined ? -1 : afterSeq + limit - 1)
      .exec()) as [[unknown, number], [unknown, string[]]];
    if (exists !== 1) throw new StoreError("session_not_found", `no session ${sessionId}`);
    return lines.map((line) => {
      try {
        return JSON.parse(line) as AgentEvent;
      } catch (error) {
        throw new StoreError("corrupt_data", `an event of ${sessionId} is not JSON`, { cause: error });
      }
    });
  }

  async checkpoint(sessionId: string, seq: number, files: readonly FileSnapshot[]): Promise<Checkpoint> {
    const session = await this.get(sessionId);
    if (!session) throw new StoreError("session_not_found", `no session ${sessionId}`);
    validCheckpointSeq(seq, session.lastSeq);
    const prepared = prepareSnapshots(files, session.cwd);
    const multi = this.redis.multi();
    for (const { blob } of prepared) {
      // Content-addressed: the same bytes are stored once.
      if (blob !== null) multi.set(keys.blob(blob.hash), Buffer.from(blob.bytes), "NX");
    }
    await multi.exec();
    const checkpoint: Checkpoint = {
      id: await this.redis.incr(keys.checkpointId),
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
    await this.redis.hset(keys.checkpoints(sessionId), String(checkpoint.id), JSON.stringify(checkpoint));
    return checkpoint;
  }

  async checkpoints(sessionId: string): Promise<Checkpoint[]> {
    if (!(await this.source.hasSession(sessionId))) {
      throw new StoreError("session_not_found", `no session ${sessionId}`);
    }
    return this.readCheckpoints(sessionId);
  }

  async undo(sessionId: string): Promise<RestoreResult> {
    return undoLatest(this.source, this.files, sessionId, this.now());
  }

  async rewind(sessionId: string, checkpointId: number): Promise<RestoreResult> {
    return rewindTo(this.source, this.files, sessionId, checkpointId, this.now());
  }

  async close(): Promise<void> {
    if (this.options.ownsConnection ?? true) await this.redis.quit();
  }

  private async readCheckpoints(sessionId: string): Promise<Checkpoint[]> {
    const raw = await this.redis.hvals(keys.checkpoints(sessionId));
    return raw.map((json) => JSON.parse(json) as Checkpoint).sort((a, b) => a.id - b.id);
  }
}

/**
 * Sorted-set member of a session: ties in `updatedAt` sort by member, and a
 * zero-padded creation counter first makes newer sessions sort first, as in
 * the other adapters.
 */
function idOf(member: string): string {
  return member.slice(member.indexOf(":") + 1);
}

function serializeRecord(record: SessionRecord): Record<string, string> {
  return {
    id: record.id,
    title: record.title,
    cwd: record.cwd,
    model: record.model,
    permissionMode: record.permissionMode,
    createdAt: String(record.createdAt),
    updatedAt: String(record.updatedAt),
    lastSeq: String(record.lastSeq),
    costUsd: String(record.costUsd),
  };
}

function recordFrom(row: Record<string, string>): SessionRecord | undefined {
  if (row.id === undefined) return undefined;
  return {
    id: row.id,
    title: row.title ?? "",
    cwd: row.cwd ?? "",
    model: row.model ?? "",
    permissionMode: row.permissionMode as SessionRecord["permissionMode"],
    createdAt: Number(row.createdAt),
    updatedAt: Number(row.updatedAt),
    lastSeq: Number(row.lastSeq),
    costUsd: Number(row.costUsd),
  };
}
