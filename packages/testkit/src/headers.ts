import type { WireFormat } from "./script.js";

// Response headers in each service's style: a request id and rate-limit headers
// whose "remaining" counts down with every request this server has seen.

const REQUESTS_LIMIT = 4000;
const TOKENS_LIMIT = 2_000_000;

/** RFC 3339 without milliseconds, as Anthropic's reset headers are. */
function rfc3339(msFromNow: number): string {
  return new Date(Date.now() + msFromNow).toISOString().replace(/\.\d{3}Z$/u, "Z");
}

function anthropicHeaders(requestId: string, served: number): Record<string, string> {
  const remaining = String(Math.max(0, REQUESTS_LIMIT - served));
  const tokensRemaining = String(Math.max(0, TOKENS_LIMIT - served * 1000));
  const headers: Record<string, string> = {
    "request-id": requestId,
    "anthropic-organization-id": "00000000-0000-4000-8000-000000000000",
    "anthropic-ratelimit-requests-limit": String(REQUESTS_LIMIT),
    "anthropic-ratelimit-requests-remaining": remaining,
    "anthropic-ratelimit-requests-reset": rfc3339(60_000),
  };
  for (const kind of ["tokens", "input-tokens", "output-tokens"]) {
    headers[`anthropic-ratelimit-${kind}-limit`] = String(TOKENS_LIMIT);
    headers[`anthropic-ratelimit-${kind}-remaining`] = tokensRemaining;
    headers[`anthropic-ratelimit-${kind}-reset`] = rfc3339(1000);
  }
  return headers;
}

function openaiHeaders(requestId: string, served: number): Record<string, string> {
  return {
    "x-request-id": requestId,
    "openai-version": "2020-10-01",
    "openai-processing-ms": "7",
    "x-ratelimit-limit-requests": String(REQUESTS_LIMIT),
    "x-ratelimit-remaining-requests": String(Math.max(0, REQUESTS_LIMIT - served)),
    "x-ratelimit-reset-requests": "15ms",
    "x-ratelimit-limit-tokens": String(TOKENS_LIMIT),
    "x-ratelimit-remaining-tokens": String(Math.max(0, TOKENS_LIMIT - served * 1000)),
    "x-ratelimit-reset-tokens": "0s",
  };
}

/** Headers common to every answer on `wire`, `served` being how many requests came before (1-based). */
export function serviceHeaders(wire: WireFormat, requestId: string, served: number): Record<string, string> {
  return wire === "anthropic" ? anthropicHeaders(requestId, served) : openaiHeaders(requestId, served);
}

export const SSE_HEADERS: Record<string, string> = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
};

export const JSON_HEADERS: Record<string, string> = {
  "content-type": "application/json",
};
