import { type CallContext, ClientError, Metadata } from "nice-grpc-common";
import type { IdentityDirectory } from "../auth/identity.js";
import { hasScope, IDENTITY_METADATA, type Principal, type Scope } from "../auth/principal.js";
import type { RateLimiter } from "../auth/rate-limit.js";
import { permissionDenied, resourceExhausted, ServerError, unauthenticated } from "../errors.js";

/** Metadata keys copied from the caller to upstream calls (trace context); nothing else crosses. */
const FORWARDED = ["traceparent", "tracestate", "baggage"] as const;

export interface Guard {
  /**
   * The caller, authenticated, within its rate limit and holding `scope`
   * (any valid token when no scope is named); else UNAUTHENTICATED,
   * RESOURCE_EXHAUSTED or PERMISSION_DENIED.
   */
  authorize(context: CallContext, scope?: Scope): Promise<Principal>;
  /** `authorize`, reading `key` of the store along (on Redis in the same round trip). */
  authorizeReading(
    context: CallContext,
    scope: Scope | undefined,
    key: string,
  ): Promise<{ principal: Principal; value: string | undefined }>;
}

export function createGuard(identity: IdentityDirectory, limiter: RateLimiter): Guard {
  const rate = {
    key: (tokenId: string) => limiter.windowKey(`token:${tokenId}`),
    windowMs: limiter.settings.windowMs,
  };
  const admit = async (context: CallContext, scope: Scope | undefined, key: string | undefined) => {
    const header = context.metadata.get("authorization");
    const token = header?.replace(/^Bearer\s+/i, "");
    const admitted = await identity.admit(token, rate, key);
    if (!admitted.ok) throw unauthenticated(admitted.error.message);
    const { principal, hit, also } = admitted.value;
    const decision = limiter.decide(hit);
    if (!decision.ok) {
      const { limit, windowMs } = limiter.settings;
      throw resourceExhausted(
        `rate limit of ${limit} requests per ${Math.round(windowMs / 1000)} s reached for this token; ` +
          `retry in ${Math.ceil(decision.retryInMs / 1000)} s`,
      );
    }
    if (scope !== undefined && !hasScope(principal, scope))
      throw permissionDenied(`this API token lacks the "${scope}" scope`);
    return { principal, value: also };
  };
  return {
    async authorize(context, scope) {
      return (await admit(context, scope, undefined)).principal;
    },
    authorizeReading: admit,
  };
}

/** What an upstream call carries: the caller's identity as the gateway established it, and its trace context. */
export function upstreamMetadata(principal: Principal, context: CallContext): Metadata {
  const metadata = Metadata();
  metadata.set(IDENTITY_METADATA.org, principal.orgId);
  metadata.set(IDENTITY_METADATA.user, principal.userId);
  metadata.set(IDENTITY_METADATA.token, principal.tokenId);
  for (const key of FORWARDED) {
    const value = context.metadata.get(key);
    if (value !== undefined) metadata.set(key, value);
  }
  return metadata;
}

/** An upstream failure relayed to the caller with the same status and message. */
export function relay(error: unknown): unknown {
  if (error instanceof ClientError) return new ServerError(error.code, error.details);
  return error;
}

export async function relayed<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw relay(error);
  }
}

/**
 * An upstream stream relayed: `open` (checking the caller, then starting the
 * upstream call) runs on the first read; the upstream's messages then pass
 * straight through, with no async generator of the relay's own (each such
 * layer costs a few promise turns per message), and a failure is relayed as
 * by `relayed`. Stopping the relay (`return`) stops the upstream stream.
 */
export function relayedStream<T>(open: () => Promise<AsyncIterable<T>>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      let upstream: AsyncIterator<T> | undefined;
      let opening: Promise<AsyncIterator<T>> | undefined;
      let ended = false;
      const start = () =>
        (opening ??= open().then((stream) => {
          upstream = stream[Symbol.asyncIterator]();
          return upstream;
        }));
      const fail = (error: unknown): never => {
        ended = true;
        throw relay(error);
      };
      return {
        next() {
          if (ended) return Promise.resolve({ done: true, value: undefined });
          return (upstream ? upstream.next() : start().then((opened) => opened.next())).catch(fail);
        },
        async return(value?: unknown) {
          ended = true;
          const opened = upstream ?? (await opening?.catch(() => undefined));
          await opened?.return?.();
          return { done: true, value: value as T };
        },
      };
    },
  };
}
