import type { KeyValueStore } from "../kv/port.js";

export interface RateLimit {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

export type RateDecision = { ok: true; remaining: number } | { ok: false; retryInMs: number };

/**
 * Fixed-window rate limiting over the key-value port: with Redis the count is
 * shared by every gateway replica, so a token's limit holds cluster-wide.
 */
export class RateLimiter {
  constructor(
    private readonly kv: KeyValueStore,
    readonly settings: RateLimit,
  ) {}

  async take(key: string): Promise<RateDecision> {
    const { count, resetInMs } = await this.kv.hit(`rate:${key}`, this.settings.windowMs);
    if (count > this.settings.limit) return { ok: false, retryInMs: Math.max(resetInMs, 1) };
    return { ok: true, remaining: this.settings.limit - count };
  }
}
