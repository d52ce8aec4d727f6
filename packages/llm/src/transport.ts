import type { StopReason } from "@toad/core";
import { type CredentialHint, classifyProviderError, type ModelError, modelError } from "./errors.js";
import type { HeaderGetter, HttpResponse, HttpSend } from "./http/types.js";
import { createDecoder, feedTail, type WireApi } from "./wire/decode.js";
import { SseDecoder } from "./wire/sse.js";
import type { ContentEvent, WireUsage } from "./wire/types.js";

// One HTTP attempt: POST, then stream the SSE body through the provider's
// decoder. Failures come back as values; the caller retries or falls back.

/** How long a finished stream may take to close its body before the connection is dropped. */
const DRAIN_MS = 1000;

export type { FetchLike } from "./http/types.js";

export interface HttpRequest {
  api: WireApi;
  url: string;
  headers: Record<string, string>;
  body: string;
  hint: CredentialHint;
}

export type AttemptResult =
  | { kind: "ok"; stopReason: StopReason; usage: WireUsage | undefined; responseModel: string | undefined }
  | { kind: "error"; error: ModelError; outputBegan: boolean }
  | { kind: "cancelled" };

export interface AttemptOptions {
  /** node:http by default (nodeSend), or the caller's fetch through fetchSend. */
  send: HttpSend;
  signal: AbortSignal | undefined;
  idleTimeoutMs: number;
  /** For retry-after given as an HTTP date. */
  now: () => number;
  /** Text deltas decoded from the same read are yielded as one (see ModelClientOptions). */
  mergeTextDeltas?: boolean;
}

/** Joins each run of adjacent text deltas in `out` into one, in place. */
export function mergeTextRuns(out: ContentEvent[]): void {
  let kept = 0;
  for (let i = 0; i < out.length; i++) {
    const event = out[i] as ContentEvent;
    const last = kept > 0 ? out[kept - 1] : undefined;
    if (event.type === "text_delta" && last?.type === "text_delta")
      out[kept - 1] = { type: "text_delta", text: last.text + event.text };
    else out[kept++] = event;
  }
  out.length = kept;
}

/** The server's wait hint: retry-after-ms, then retry-after in seconds or as an HTTP date. */
export function retryAfterFromHeaders(headers: HeaderGetter, now: number): number | undefined {
  const ms = Number.parseFloat(headers.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get("retry-after");
  if (raw === null) return undefined;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds) && seconds >= 0 && /^\s*[\d.]+\s*$/.test(raw)) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

function parseMaybeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function networkMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // node:http trying each address of a name (IPv6, IPv4) fails with all of them and no message.
  if (err instanceof AggregateError && err.message === "" && err.errors.length > 0)
    return err.errors.map(networkMessage).join("; ");
  // fetch: "fetch failed" with the system error as its cause; node:http: the system error itself.
  const cause = (err as Error & { cause?: unknown }).cause;
  const own = (err as Error & { code?: unknown }).code;
  const code =
    cause instanceof Error
      ? ((cause as Error & { code?: string }).code ?? cause.message)
      : typeof own === "string" && !err.message.includes(own)
        ? own
        : undefined;
  return code ? `${err.message} (${code})` : err.message;
}

/** A whole (error) body as text. */
async function readText(body: AsyncIterable<Uint8Array | string> | null): Promise<string> {
  if (body === null) return "";
  const utf8 = new TextDecoder();
  let text = "";
  for await (const chunk of body)
    text += typeof chunk === "string" ? chunk : utf8.decode(chunk, { stream: true });
  return text + utf8.decode();
}

/** Aborts when the caller aborts or when no byte has arrived for `idleMs`. */
class AttemptController {
  readonly controller = new AbortController();
  idleTimedOut = false;
  bodyEnded = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastTouch = 0;
  private readonly onTimer = (): void => {
    const left = this.lastTouch + this.idleMs - performance.now();
    if (left > 0) {
      this.timer = setTimeout(this.onTimer, left);
      return;
    }
    this.idleTimedOut = true;
    this.controller.abort();
  };
  private drainTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly onOuterAbort = (): void => this.controller.abort();

  constructor(
    private readonly outer: AbortSignal | undefined,
    private readonly idleMs: number,
  ) {
    if (outer?.aborted) this.controller.abort();
    outer?.addEventListener("abort", this.onOuterAbort, { once: true });
    this.touch();
  }

  get cancelled(): boolean {
    return this.outer?.aborted === true;
  }

  touch(): void {
    // Per chunk only the time is noted; the timer, when it fires, re-arms for
    // what is left (cheaper than re-inserting it in the timer list per chunk).
    this.lastTouch = performance.now();
    this.timer ??= setTimeout(this.onTimer, this.idleMs);
  }

  /** The answer is complete; give the server this long to end the body, then drop it. */
  drainFor(ms: number): void {
    this.drainTimer ??= setTimeout(() => this.controller.abort(), ms);
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.drainTimer !== undefined) clearTimeout(this.drainTimer);
    this.outer?.removeEventListener("abort", this.onOuterAbort);
    // Stopped before the end of the body: drop the socket. A body read to its
    // end has already returned its connection to the pool; leave it there.
    if (!this.bodyEnded) this.controller.abort();
  }
}

export async function* streamAttempt(
  request: HttpRequest,
  options: AttemptOptions,
): AsyncGenerator<ContentEvent, AttemptResult> {
  const ctl = new AttemptController(options.signal, options.idleTimeoutMs);
  const provider = request.hint.provider;
  const failure = (message: string, code: "network" | "timeout"): ModelError =>
    ctl.idleTimedOut
      ? modelError("timeout", `${provider}: no data for ${options.idleTimeoutMs} ms.`)
      : modelError(code, message);
  try {
    let response: HttpResponse;
    try {
      response = await options.send(request.url, {
        method: "POST",
        headers: request.headers,
        body: request.body,
        signal: ctl.controller.signal,
      });
    } catch (err) {
      if (ctl.cancelled) return { kind: "cancelled" };
      const message = `${provider}: could not reach ${request.url}: ${networkMessage(err)}`;
      return { kind: "error", error: failure(message, "network"), outputBegan: false };
    }
    ctl.touch();
    if (response.status < 200 || response.status > 299) {
      let text = "";
      try {
        text = await readText(response.body);
        ctl.bodyEnded = true;
      } catch (err) {
        if (ctl.cancelled) return { kind: "cancelled" };
        text = networkMessage(err);
      }
      const wait = retryAfterFromHeaders(response.headers, options.now());
      const error = classifyProviderError(response.status, parseMaybeJson(text), request.hint, wait);
      const shouldRetry = response.headers.get("x-should-retry");
      if (shouldRetry === "true" || shouldRetry === "false") error.retryable = shouldRetry === "true";
      return { kind: "error", error, outputBegan: false };
    }
    const decoder = createDecoder(request.api, request.hint);
    const sse = new SseDecoder();
    const out: ContentEvent[] = [];
    let outputBegan = false;
    let cut = false;
    if (response.body === null) cut = true;
    else {
      try {
        for await (const chunk of response.body) {
          ctl.touch();
          // After the terminal event, read on to the end of the body so the
          // keep-alive connection goes back to the pool (no new TLS handshake).
          if (decoder.done) continue;
          for (const event of sse.push(chunk)) {
            decoder.push(event, out);
            if (decoder.done) break;
          }
          if (out.length > 0) {
            outputBegan = true;
            if (options.mergeTextDeltas === true) mergeTextRuns(out);
            // A plain loop: yield* over an array wraps it in an async-from-sync iterator, a promise more per event.
            for (let i = 0; i < out.length; i++) yield out[i] as ContentEvent;
            out.length = 0;
          }
          if (decoder.done) ctl.drainFor(DRAIN_MS);
        }
        ctl.bodyEnded = true;
      } catch (err) {
        if (ctl.cancelled) return { kind: "cancelled" };
        // A body dropped after its terminal event (or by our drain deadline) is complete.
        if (!decoder.done) cut = true;
        if (cut && !decoder.started) {
          const error = failure(
            `${provider}: the stream was cut before its first event: ${networkMessage(err)}`,
            "network",
          );
          return { kind: "error", error, outputBegan };
        }
      }
    }
    if (ctl.cancelled) return { kind: "cancelled" };
    if (!cut) cut = feedTail(decoder, sse.end(), out);
    const outcome = decoder.finish(out, cut);
    if (out.length > 0) {
      outputBegan = true;
      if (options.mergeTextDeltas === true) mergeTextRuns(out);
      for (let i = 0; i < out.length; i++) yield out[i] as ContentEvent;
    }
    if (outcome.ok) {
      return {
        kind: "ok",
        stopReason: outcome.stopReason,
        usage: outcome.usage,
        responseModel: outcome.responseModel,
      };
    }
    const error = ctl.idleTimedOut ? failure("", "timeout") : outcome.error;
    return { kind: "error", error, outputBegan };
  } finally {
    ctl.dispose();
  }
}
