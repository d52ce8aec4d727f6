import type { RedisScript } from "../redis/script.js";

/**
 * The small key-value port the cluster's shared state is built on: identity
 * (orgs, users, hashed tokens), session ownership and settings, cost
 * aggregates and rate-limit windows. Adapters: in memory (tests, `toad
 * serve` on embedded stores) and Redis (the cluster).
 */
export interface KeyValueStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  /** Sets `key` only when it does not exist; true when this call set it. */
  setIfAbsent(key: string, value: string): Promise<boolean>;
  delete(key: string): Promise<void>;

  addToSet(key: string, member: string): Promise<void>;
  removeFromSet(key: string, member: string): Promise<void>;
  members(key: string): Promise<string[]>;

  /** Adds each delta to a numeric field of the hash at `key` (missing fields start at 0). */
  incrementFields(key: string, deltas: Readonly<Record<string, number>>): Promise<void>;
  /** Every numeric field of the hash at `key`; `{}` when there is none. */
  fields(key: string): Promise<Record<string, number>>;

  /**
   * Counts one hit in a fixed window that opens at the first hit and lasts
   * `windowMs`: the count so far (this hit included) and when the window ends.
   */
  hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;

  /**
   * Only on Redis: runs a Lua script (several commands, one round trip).
   * Callers keep a step-by-step path for the stores without it.
   */
  runScript?(
    script: RedisScript,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown>;

  close(): Promise<void>;
}
