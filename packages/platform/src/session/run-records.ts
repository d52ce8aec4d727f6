import type { AgentEvent, UserImage } from "@toad/core";
import type { KeyValueStore } from "../kv/port.js";

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

export class RunRecords {
  constructor(private readonly kv: KeyValueStore) {}

  async begin(record: RunRecord): Promise<void> {
    await this.kv.set(key(record.sessionId), JSON.stringify(record));
    await this.kv.addToSet(ALL, record.sessionId);
  }

  async end(sessionId: string, runId: string): Promise<void> {
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
