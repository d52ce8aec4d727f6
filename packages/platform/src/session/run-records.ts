import type { AgentEvent, UserImage } from "@toad/core";
import type { Redis } from "ioredis";
import type { KeyValueStore } from "../kv/port.js";
import { RedisScript } from "../redis/script.js";

/**
 * A run in progress, as recorded in the shared key-value store when it
 * starts and removed when it ends. A record whose run no replica serves any
 * more (its replica was killed) is an interrupted run to recover.
 */
export interface RunRecord {
  runId: string;
  sessionId: string;
  /** The user's message, sent again if the run was cut before it reached the log. */
  prompt: string;
  /** Images sent with the message, likewise. */
  images?: UserImage[];
  /** The log's last seq before the run's user message. */
  startSeq: number;
  maxTurns: number;
  /** Identity and trace metadata of the call that started it, for the router calls of a recovery. */
  metadata: Record<string, string>;
  startedAt: number;
  /** How many times it was recovered already. */
  recoveries: number;
}

const ALL = "runs";
const key = (sessionId: string) => `run:${sessionId}`;

// Records the run and lists it, in one command. KEYS: the record, the set of all. ARGV: the record, session id.
const BEGIN = new RedisScript(`
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
return 1`);

// Removes the record, unless a recovery elsewhere replaced it with its own run (another runId).
// KEYS: the record, the set of all. ARGV: runId, session id.
const END = new RedisScript(`
local raw = redis.call('GET', KEYS[1])
if raw and cjson.decode(raw).runId ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[2])
return 1`);

export class RunRecords {
  /**
   * `redis`, when the key-value store is that same Redis (same connection,
   * same key prefix): begin and end are then one atomic script each instead
   * of two and three sequential commands on every run.
   */
  constructor(
    private readonly kv: KeyValueStore,
    private readonly redis?: Redis,
  ) {}

  async begin(record: RunRecord): Promise<void> {
    const json = JSON.stringify(record);
    if (this.redis) {
      await BEGIN.run(this.redis, [key(record.sessionId), ALL], [json, record.sessionId]);
      return;
    }
    await this.kv.set(key(record.sessionId), json);
    await this.kv.addToSet(ALL, record.sessionId);
  }

  async end(sessionId: string, runId: string): Promise<void> {
    if (this.redis) {
      await END.run(this.redis, [key(sessionId), ALL], [runId, sessionId]);
      return;
    }
    const current = await this.get(sessionId);
    // A recovery elsewhere may have replaced the record: only the run that owns it removes it.
    if (current !== undefined && current.runId !== runId) return;
    await this.kv.delete(key(sessionId));
    await this.kv.removeFromSet(ALL, sessionId);
  }

  async get(sessionId: string): Promise<RunRecord | undefined> {
    const raw = await this.kv.get(key(sessionId));
    return raw === undefined ? undefined : (JSON.parse(raw) as RunRecord);
  }

  async all(): Promise<RunRecord[]> {
    const ids = await this.kv.members(ALL);
    const records = await Promise.all(ids.map((id) => this.get(id)));
    return records.filter((record): record is RunRecord => record !== undefined);
  }

  /** One replica wins the right to recover a given run; the others leave it. */
  async claim(record: RunRecord): Promise<boolean> {
    return this.kv.setIfAbsent(`run-claim:${record.runId}:${record.recoveries}`, String(Date.now()));
  }
}

/**
 * Whether the log shows the run had already ended when its replica died
 * (the loop stops after a turn that called no tools, or at a cap).
 */
export function runHadEnded(events: readonly AgentEvent[]): boolean {
  const last = events.at(-1);
  if (last === undefined) return false;
  if (last.type === "error") return last.code === "max_turns" || last.code === "budget_exceeded";
  if (last.type !== "turn_end") return false;
  if (last.stopReason === "tool_use" || last.stopReason === "pause_turn") return false;
  // end_turn with tool calls means the loop goes on to run them.
  const turnStart = events.findLastIndex((event) => event.type === "turn_start");
  const calls = events.slice(turnStart).some((event) => event.type === "tool_call_complete");
  return !(calls && (last.stopReason === "end_turn" || last.stopReason === "stop_sequence"));
}
