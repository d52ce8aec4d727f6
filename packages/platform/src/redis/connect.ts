import { Redis } from "ioredis";

export type { Redis };

export interface RedisOptions {
  /** `redis://host:port/db` (REDIS_URL). */
  url: string;
  /** Prefixed to every key, so several deployments (or tests) can share one Redis. Default "toad:". */
  keyPrefix?: string;
}

/**
 * One ioredis connection. Commands issued while Redis is unreachable are
 * queued and retried with backoff (ioredis' offline queue), so a Redis restart
 * delays writes instead of losing them; `maxRetriesPerRequest` bounds how long
 * a caller waits before it sees the error. Commands issued in the same tick
 * (the appends of many sessions streaming at once) leave in one socket write
 * (auto-pipelining): same order, same replies, far fewer syscalls.
 */
export function connectRedis(options: RedisOptions): Redis {
  return new Redis(options.url, {
    keyPrefix: options.keyPrefix ?? "toad:",
    maxRetriesPerRequest: 20,
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2_000),
    lazyConnect: false,
    enableAutoPipelining: true,
  });
}
