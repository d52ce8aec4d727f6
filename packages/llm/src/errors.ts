import { isRecord, str } from "./wire/types.js";

/**
 * Model failures as data. Every API, network and stream failure becomes a
 * `ModelError` with a stable code; the client decides from `retryable` and the
 * code whether to retry, fall back or give up, and finally reports it as the
 * core `error` event. Nothing here throws.
 */

/** Failures of capacity, transport or one response: worth another try, by default. */
export const TRANSIENT_ERROR_CODES = [
  "rate_limited",
  "overloaded",
  "server_error",
  "timeout",
  "network",
  "stream_cut",
  "bad_response",
] as const;

export const MODEL_ERROR_CODES = [
  ...TRANSIENT_ERROR_CODES,
  "auth",
  "permission",
  "quota",
  "context_length",
  "request_too_large",
  "invalid_request",
  "not_found",
  "budget_exceeded",
  "no_model",
] as const;
export type ModelErrorCode = (typeof MODEL_ERROR_CODES)[number];

export interface ModelError {
  code: ModelErrorCode;
  message: string;
  retryable: boolean;
  /** The server's own wait hint (retry-after-ms, retry-after, "try again in Xs"). */
  retryAfterMs?: number;
  status?: number;
}

export function modelError(
  code: ModelErrorCode,
  message: string,
  extra: { retryable?: boolean; retryAfterMs?: number; status?: number } = {},
): ModelError {
  const error: ModelError = { code, message, retryable: extra.retryable ?? RETRYABLE_BY_DEFAULT.has(code) };
  if (extra.retryAfterMs !== undefined) error.retryAfterMs = extra.retryAfterMs;
  if (extra.status !== undefined) error.status = extra.status;
  return error;
}

const RETRYABLE_BY_DEFAULT = new Set<ModelErrorCode>(TRANSIENT_ERROR_CODES);

/** What the provider said, whatever the body shape (Anthropic, OpenAI, Ollama, inner-object only). */
export interface ProviderErrorInfo {
  type: string | undefined;
  code: string | undefined;
  message: string | undefined;
  /** Anthropic `error.details.error_code` (e.g. enforced_spend_limit_reached). */
  detailCode: string | undefined;
}

export function providerErrorInfo(body: unknown): ProviderErrorInfo {
  const info: ProviderErrorInfo = {
    type: undefined,
    code: undefined,
    message: undefined,
    detailCode: undefined,
  };
  if (!isRecord(body)) return info;
  const inner = isRecord(body.error) ? body.error : body;
  if (typeof body.error === "string") info.message = body.error; // Ollama: {"error":"..."}
  info.type = str(inner.type) === "error" ? undefined : str(inner.type);
  info.code = str(inner.code) ?? (typeof inner.code === "number" ? String(inner.code) : undefined);
  info.message = info.message ?? str(inner.message);
  if (isRecord(inner.details)) info.detailCode = str(inner.details.error_code);
  return info;
}

const QUOTA_MARKERS = [
  "insufficient_quota",
  "enforced_spend_limit_reached",
  "billing_error",
  "billing_hard_limit",
];

const CONTEXT_PATTERNS: RegExp[] = [
  /prompt is too long/i,
  /maximum context length/i,
  /context[_ ]length[_ ]exceeded/i,
  /exceeds? the (available )?context (size|window)/i,
  /input exceeds the context window/i,
  /too many tokens/i,
];

function isQuota(info: ProviderErrorInfo): boolean {
  return [info.type, info.code, info.detailCode].some(
    (value) => value !== undefined && QUOTA_MARKERS.includes(value),
  );
}

function isContextLength(info: ProviderErrorInfo): boolean {
  if (info.code === "context_length_exceeded") return true;
  const message = info.message ?? "";
  return CONTEXT_PATTERNS.some((pattern) => pattern.test(message));
}

/** "Please try again in 1.574s" / "in 20ms" / "in 6m0s" in a 429 message (OpenAI, when headers are missing). */
export function retryHintFromMessage(message: string | undefined): number | undefined {
  const match = /try again in ((?:\d+(?:\.\d+)?(?:ms|h|m|s))+)/i.exec(message ?? "");
  if (!match?.[1]) return undefined;
  let total = 0;
  for (const part of match[1].matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    const value = Number(part[1]);
    const unit = part[2];
    total +=
      unit === "ms" ? value : unit === "s" ? value * 1000 : unit === "m" ? value * 60_000 : value * 3_600_000;
  }
  return Math.round(total);
}

/** Where the user fixes credentials for a provider: its variable name, or the config. */
export interface CredentialHint {
  provider: string;
  apiKeyEnv: string | undefined;
}

function credentialAdvice(hint: CredentialHint): string {
  return hint.apiKeyEnv
    ? `Set ${hint.apiKeyEnv} to a valid API key for ${hint.provider}.`
    : `Set "apiKey" or "apiKeyEnv" for provider "${hint.provider}" in the TOAD config.`;
}

export function missingKeyError(hint: CredentialHint): ModelError {
  return modelError("auth", `No API key for ${hint.provider}. ${credentialAdvice(hint)}`);
}

/**
 * Classifies a provider failure from its HTTP status (0 for an in-stream error
 * after HTTP 200) and parsed body.
 */
export function classifyProviderError(
  status: number,
  body: unknown,
  hint: CredentialHint,
  retryAfterMs?: number,
): ModelError {
  const info = providerErrorInfo(body);
  const said = info.message ?? (typeof body === "string" && body !== "" ? body.slice(0, 300) : undefined);
  const detail = `${hint.provider}${status ? ` ${status}` : ""}${info.type ? ` ${info.type}` : ""}: ${said ?? "no message"}`;
  const wait = retryAfterMs ?? retryHintFromMessage(info.message);
  const extra = (retryable?: boolean) => ({
    status: status || undefined,
    retryAfterMs: wait,
    retryable,
  });
  const typeOrCode = `${info.type ?? ""} ${info.code ?? ""}`;

  if (status === 401 || info.type === "authentication_error" || info.code === "invalid_api_key") {
    return modelError("auth", `Authentication failed (${detail}). ${credentialAdvice(hint)}`, extra());
  }
  if (status === 403 || info.type === "permission_error") {
    return modelError(
      "permission",
      `Permission denied (${detail}). Check that the key in use may call this model.`,
      extra(),
    );
  }
  if (isQuota(info) || status === 402) {
    return modelError("quota", `Quota or spend limit reached (${detail}). Retrying will not help.`, extra());
  }
  if (isContextLength(info)) {
    return modelError(
      "context_length",
      `The conversation does not fit the model's context window (${detail}).`,
      extra(),
    );
  }
  if (status === 413 || info.type === "request_too_large" || /request too large/i.test(info.message ?? "")) {
    return modelError("request_too_large", `The request is too large (${detail}).`, extra());
  }
  if (status === 429 || /rate_limit/.test(typeOrCode))
    return modelError("rate_limited", `Rate limited (${detail}).`, extra());
  if (status === 529 || info.type === "overloaded_error") {
    return modelError("overloaded", `The provider is overloaded (${detail}).`, extra());
  }
  if (status === 408 || status === 504 || info.type === "timeout_error") {
    return modelError("timeout", `The provider timed out (${detail}).`, extra());
  }
  if (status === 409) return modelError("server_error", `Conflict (${detail}).`, extra(true));
  if (
    status >= 500 ||
    info.type === "api_error" ||
    info.type === "server_error" ||
    info.code === "server_error"
  ) {
    return modelError("server_error", `The provider failed (${detail}).`, extra());
  }
  if (status === 404 || info.type === "not_found_error" || info.code === "model_not_found") {
    return modelError("not_found", `Not found (${detail}). Check the model id and the base URL.`, extra());
  }
  if (status === 0) return modelError("server_error", `The stream reported an error (${detail}).`, extra());
  return modelError("invalid_request", `The provider rejected the request (${detail}).`, extra());
}
