import type { RetrySettings } from "./config/types.js";
import { type ModelError, type ModelErrorCode, TRANSIENT_ERROR_CODES } from "./errors.js";
import type { ResolvedModel } from "./routing.js";

// When to try again, how long to wait, and when the next model should answer.

/**
 * The wait before retry number `retry` (1-based): the server's own hint when it
 * gave one, else exponential backoff with up to 25% jitter so that clients
 * failing together do not come back together. Undefined: the server wants a
 * longer wait than we accept, so do not wait for it.
 */
export function retryDelay(
  error: ModelError,
  retry: number,
  settings: RetrySettings,
  random: () => number,
): number | undefined {
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs <= settings.maxRetryAfterMs ? Math.ceil(error.retryAfterMs) : undefined;
  }
  const exponential = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (retry - 1));
  return Math.round(exponential * (1 - 0.25 * random()));
}

/** Failures another model may not have: capacity, transport, a model the server does not know. */
const FALLBACK_CODES = new Set<ModelErrorCode>([...TRANSIENT_ERROR_CODES, "not_found"]);

/**
 * Whether `next` should answer after `current` failed with `error`. Quota is
 * per account, so only another provider helps; auth, context length and bad
 * requests are the caller's to fix and are reported, not hidden.
 */
export function shouldFallBack(error: ModelError, current: ResolvedModel, next: ResolvedModel): boolean {
  if (FALLBACK_CODES.has(error.code)) return true;
  if (error.code === "quota") {
    return next.providerId !== current.providerId && next.provider.baseUrl !== current.provider.baseUrl;
  }
  return false;
}

export type Sleep = (ms: number, signal: AbortSignal | undefined) => Promise<void>;

/** Resolves after `ms`, or at once when `signal` aborts (the caller checks it). */
export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
