import { resolve } from "node:path";
import type * as pb from "@toad/proto";
import type { CallContext, CallOptions } from "nice-grpc-common";
import { Status } from "nice-grpc-common";
import type { Principal } from "../auth/principal.js";
import { notFound, ServerError } from "../errors.js";
import { type Guard, relay, relayed, relayedStream, upstreamMetadata } from "./guard.js";
import type { SessionOwnership } from "./ownership.js";
import { releasedOnFirst, type StartAdmission } from "./start-admission.js";

/** An event of a session's stream, decoded or still in its wire form (relayed as is). */
export type RelayedEvent = pb.AgentEvent | pb.EncodedMessage;

/**
 * The session service upstream. Its event streams may hand over events still
 * encoded (`withEncodedResponses`): the gateway looks only at the call, never
 * inside an event, so it relays their bytes without decoding them.
 */
export type SessionUpstream = Omit<pb.SessionServiceClient, "sendMessage" | "resume"> & {
  sendMessage(request: pb.SendMessageRequest, options?: CallOptions): AsyncIterable<RelayedEvent>;
  resume(request: pb.ResumeRequest, options?: CallOptions): AsyncIterable<RelayedEvent>;
};

/** SessionService as the gateway serves it: event streams may yield events still encoded. */
export type ScopedSessionImplementation = Omit<pb.SessionServiceImplementation, "sendMessage" | "resume"> & {
  sendMessage(request: pb.SendMessageRequest, context: CallContext): AsyncIterable<RelayedEvent>;
  resume(request: pb.ResumeRequest, context: CallContext): AsyncIterable<RelayedEvent>;
};

export interface ScopedSessionDeps {
  guard: Guard;
  ownership: SessionOwnership;
  upstream: SessionUpstream;
  /** How many session starts go through at once (absent: no limit). */
  admission?: StartAdmission;
}

/**
 * SessionService as the gateway serves it: every call authenticated, and
 * every session checked to belong to the caller's org. A session of another
 * org reads exactly like one that does not exist (NOT_FOUND), so ids cannot
 * be probed across orgs.
 */
export function scopedSessionService(deps: ScopedSessionDeps): ScopedSessionImplementation {
  const { guard, ownership, upstream, admission } = deps;
  const noSlot = () => {};

  /** The caller, once the session is known to be its org's. */
  async function owned(context: CallContext, sessionId: string): Promise<Principal> {
    // The owner is read in the same store round trip as the token check; "" names no session.
    const { principal, value: owner } =
      sessionId === ""
        ? { principal: await guard.authorize(context, "sessions"), value: undefined }
        : await guard.authorizeReading(context, "sessions", ownership.keyOf(sessionId));
    if (owner !== principal.orgId) throw notFound(`session ${JSON.stringify(sessionId)} not found`);
    return principal;
  }

  const options = (principal: Principal, context: CallContext) => ({
    metadata: upstreamMetadata(principal, context),
    signal: context.signal,
  });

  return {
    async createSession(request, context) {
      const principal = await guard.authorize(context, "sessions");
      const release = (await admission?.acquire("create", context.signal)) ?? noSlot;
      try {
        const session = await relayed(() => upstream.createSession(request, options(principal, context)));
        await ownership.assign(session.id, principal.orgId);
        return session;
      } finally {
        release();
      }
    },

    async getSession(request, context) {
      const principal = await owned(context, request.sessionId);
      return relayed(() => upstream.getSession(request, options(principal, context)));
    },

    async listSessions(request, context) {
      const principal = await guard.authorize(context, "sessions");
      const ids = await ownership.sessionsOf(principal.orgId);
      const cwd = request.cwd === "" ? undefined : resolve(request.cwd);
      const found = await Promise.all(
        ids.map(async (sessionId) => {
          try {
            return await upstream.getSession({ sessionId }, options(principal, context));
          } catch (error) {
            const relayed = relay(error);
            if (relayed instanceof ServerError && relayed.code === Status.NOT_FOUND) return undefined;
            throw relayed;
          }
        }),
      );
      const sessions = found
        .filter((session): session is pb.Session => session !== undefined)
        .filter((session) => cwd === undefined || session.cwd === cwd)
        .sort((a, b) => b.updatedAtMs - a.updatedAtMs || b.createdAtMs - a.createdAtMs);
      return { sessions: request.limit > 0 ? sessions.slice(0, request.limit) : sessions };
    },

    sendMessage(request, context) {
      return relayedStream(async () => {
        const principal = await owned(context, request.sessionId);
        const release = (await admission?.acquire("message", context.signal)) ?? noSlot;
        try {
          return releasedOnFirst(upstream.sendMessage(request, options(principal, context)), release);
        } catch (error) {
          release();
          throw error;
        }
      });
    },

    async approve(request, context) {
      const principal = await owned(context, request.sessionId);
      return relayed(() => upstream.approve(request, options(principal, context)));
    },

    async submitToolResult(request, context) {
      const principal = await owned(context, request.sessionId);
      return relayed(() => upstream.submitToolResult(request, options(principal, context)));
    },

    async cancel(request, context) {
      const principal = await owned(context, request.sessionId);
      return relayed(() => upstream.cancel(request, options(principal, context)));
    },

    resume(request, context) {
      return relayedStream(async () => {
        const principal = await owned(context, request.sessionId);
        return upstream.resume(request, options(principal, context));
      });
    },
  };
}
