import type { ModelClient, ModelRequest, ModelStreamEvent, StopReason, UsageEvent } from "@toad/core";
import type { Env } from "./config/builtin.js";
import type { LlmConfig } from "./config/types.js";
import { CostLedger, checkBudget, priceUsage } from "./cost.js";
import { type ModelError, modelError } from "./errors.js";
import { fetchSend } from "./http/fetch-send.js";
import { nodeSend } from "./http/node-send.js";
import type { FetchLike } from "./http/types.js";
import { buildHttpRequest } from "./provider.js";
import { realSleep, retryDelay, type Sleep, shouldFallBack } from "./retry.js";
import { type ResolvedModel, resolveChain } from "./routing.js";
import { streamAttempt } from "./transport.js";
import type { WireUsage } from "./wire/types.js";

// The ModelClient the agent loop holds: picks the models, streams one of them,
// retries with backoff, falls back along the tier's chain, prices the usage and
// enforces the session budget. It never throws at its caller.

export interface ModelClientOptions {
  config: LlmConfig;
  /** Where API keys are read from (process.env in production). */
  env: Env;
  /**
   * A fetch to send the requests with (tests, custom dispatchers). Without it,
   * node:http(s) with keep-alive pools: far less CPU per streamed event.
   */
  fetch?: FetchLike;
  /** Injectable so tests need not wait out real backoff. */
  sleep?: Sleep;
  /** Jitter source, 0..1. */
  random?: () => number;
  now?: () => number;
  /** Spend so far; the client records every usage in it. A fresh one when absent. */
  ledger?: CostLedger;
  /** The session the spend counts toward (budget cap). */
  sessionId?: string;
  /**
   * Text deltas that arrive in the same read of the response are streamed as
   * one delta (the same text). A consumer that keeps up with the model sees
   * them one by one; a process behind on its reads pays the per-event cost
   * downstream (encoding, writes) once per read instead of once per delta.
   */
  mergeTextDeltas?: boolean;
}

export interface LlmClient extends ModelClient {
  readonly config: LlmConfig;
  readonly ledger: CostLedger;
  /** The models that would answer this request, in fallback order. */
  chainFor(request: Pick<ModelRequest, "model" | "tier">): ResolvedModel[];
}

function reasonOf(error: ModelError): string {
  return `${error.code}: ${error.message}`;
}

export function createModelClient(options: ModelClientOptions): LlmClient {
  const { config, env } = options;
  const send = options.fetch === undefined ? nodeSend : fetchSend(options.fetch);
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const ledger = options.ledger ?? new CostLedger();
  const sessionId = options.sessionId ?? "session";

  function priced(current: ResolvedModel, usage: WireUsage): UsageEvent {
    const costUsd = priceUsage(usage, current.model.prices);
    ledger.record({ sessionId, model: current.model.id, costUsd, at: now() });
    return {
      type: "usage",
      model: current.model.id,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cacheReadTokens: usage.cacheReadTokens,
      cacheWriteTokens: usage.cacheWriteTokens,
      costUsd,
    };
  }

  async function* stream(
    request: ModelRequest,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<ModelStreamEvent> {
    const turn = request.turn;
    const end = (stopReason: StopReason): ModelStreamEvent => ({ type: "turn_end", turn, stopReason });
    const fail = (error: ModelError): ModelStreamEvent => ({
      type: "error",
      code: error.code,
      message: error.message,
      retryable: error.retryable,
    });
    const resolved = resolveChain(request, config, env);
    const first = resolved.ok ? resolved.chain[0] : undefined;
    yield {
      type: "turn_start",
      turn,
      model: first?.model.id ?? request.model ?? "none",
      provider: first?.providerId ?? "none",
    };
    if (!resolved.ok) {
      yield fail(resolved.error);
      yield end("error");
      return;
    }
    const budget = checkBudget(ledger.sessionTotal(sessionId), config.sessionBudgetUsd);
    if (!budget.ok) {
      yield fail(modelError("budget_exceeded", budget.message));
      yield end("error");
      return;
    }
    const chain = resolved.chain;
    let retries = 0;
    let outputBegan = false;
    for (let m = 0; m < chain.length; m++) {
      const current = chain[m];
      if (current === undefined) break;
      const http = buildHttpRequest(request, current);
      let lastError: ModelError;
      if ("code" in http) lastError = http;
      else {
        for (let attempt = 0; ; attempt++) {
          if (signal?.aborted) {
            yield end("cancelled");
            return;
          }
          // yield* forwards an early return() by the consumer, which closes the attempt and its socket.
          const result = yield* streamAttempt(http, {
            send,
            signal,
            idleTimeoutMs: config.retry.idleTimeoutMs,
            now,
            mergeTextDeltas: options.mergeTextDeltas === true,
          });
          if (result.kind === "cancelled") {
            yield end("cancelled");
            return;
          }
          if (result.kind === "ok") {
            if (result.usage !== undefined) yield priced(current, result.usage);
            yield end(result.stopReason);
            return;
          }
          outputBegan = result.outputBegan;
          lastError = result.error;
          if (!lastError.retryable || attempt >= config.retry.maxRetries) break;
          const delayMs = retryDelay(lastError, attempt + 1, config.retry, random);
          if (delayMs === undefined) break;
          retries++;
          yield {
            type: "retry",
            attempt: retries,
            delayMs,
            reason: reasonOf(lastError),
            discardPartial: outputBegan,
          };
          outputBegan = false;
          await sleep(delayMs, signal);
        }
      }
      const next = chain[m + 1];
      if (next !== undefined && shouldFallBack(lastError, current, next)) {
        retries++;
        yield {
          type: "retry",
          attempt: retries,
          delayMs: 0,
          reason: reasonOf(lastError),
          discardPartial: outputBegan,
          nextModel: next.model.id,
        };
        outputBegan = false;
        continue;
      }
      yield fail(lastError);
      yield end("error");
      return;
    }
  }

  return {
    config,
    ledger,
    chainFor(request) {
      const result = resolveChain(request, config, env);
      return result.ok ? result.chain : [];
    },
    stream(request, streamOptions) {
      return stream(request, streamOptions?.signal);
    },
  };
}
