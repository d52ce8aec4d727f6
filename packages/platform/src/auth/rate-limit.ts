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
    return this.decide(await this.kv.hit(this.windowKey(key), this.settings.windowMs));
  }

  /** The store key of `key`'s window (for a hit counted elsewhere, e.g. `IdentityDirectory.admit`). */
  windowKey(key: string): string {
    return `rate:${key}`;
  }

  /** What a hit of the window means for the request that made it. */
  decide(hit: { count: number; resetInMs: number }): RateDecision {
    if (hit.count > this.settings.limit) return { ok: false, retryInMs: Math.max(hit.resetInMs, 1) };
    return { ok: true, remaining: this.settings.limit - hit.count };
  }
}
