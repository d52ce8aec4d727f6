import "reflect-metadata";
import { getEventListeners } from "node:events";
import type { Metadata as GrpcMetadata } from "@grpc/grpc-js";
import { Controller, type Type } from "@nestjs/common";
import { ROUTE_ARGS_METADATA } from "@nestjs/common/constants.js";
import { GrpcMethod, RpcException } from "@nestjs/microservices";
import type { Tracer } from "@opentelemetry/api";
import { type CallContext, ClientError, ServerError, Status } from "nice-grpc-common";
import { type GrpcCall, releasableCallContext } from "./call-context.js";
import { type DrainTracker, SHUTTING_DOWN } from "./drain.js";
import type { ServiceShape } from "./grpc-definition.js";
import type { ServiceMetrics } from "./metrics.js";
import { type DirectStreamCall, pumpDirect, pumpToCall, type StreamCall } from "./stream-pump.js";
import { type ServerSpans, startServerSpan } from "./tracing.js";

type UnaryMethod = (request: unknown, context: CallContext) => Promise<unknown>;
type StreamMethod = (request: unknown, context: CallContext) => AsyncIterable<unknown>;

/** One service an app serves: its ts-proto definition and the object implementing it. */
export interface ServiceBinding {
  definition: ServiceShape;
  implementation: object;
  /** Streaming methods that follow a log forever (Resume): ended first when draining. */
  followers?: readonly string[];
}

export interface ControllerHooks {
  drain: DrainTracker;
  metrics: ServiceMetrics;
  tracer: Tracer;
  /** How a call's server span starts; default: recorded with `tracer` (`startServerSpan`). */
  serverSpan?: ServerSpans;
  /** Called with every failure that is not a status the implementation chose (a bug, an outage). */
  onInternalError(where: string, error: unknown): void;
}

/** A grpc-js server handler (`handleUnaryCall` / `handleServerStreamingCall`), keyed by its method path. */
export type DirectHandler =
  | ((call: GrpcCall & { request: unknown; metadata: GrpcMetadata }, callback: UnaryCallback) => void)
  | ((call: DirectStreamCall & { request: unknown; metadata: GrpcMetadata }) => void);
type UnaryCallback = (error: { code: number; details: string } | null, response?: unknown) => void;

/** The status grpc-js sends for an RpcException the controller made (`{ code, message }`). */
function grpcStatusOf(exception: unknown): { code: number; details: string } {
  const status = exception instanceof RpcException ? exception.getError() : undefined;
  if (typeof status === "object" && status !== null && "code" in status && typeof status.code === "number")
    return { code: status.code, details: "message" in status ? String(status.message) : "" };
  return { code: Status.INTERNAL, details: "internal error (the service logged it)" };
}

/** The abort reason of a call that ended (one shared error: no stack to capture per call). */
const CALL_ENDED = new Error("the call ended");

/** A thrown value as the gRPC status the client gets. */
export function toStatus(error: unknown): { code: Status; message: string } {
  if (error instanceof ServerError) return { code: error.code, message: error.details };
  if (error instanceof ClientError) return { code: error.code, message: error.details };
  if (error instanceof Error && error.name === "AbortError")
    return { code: Status.CANCELLED, message: error.message };
  return { code: Status.INTERNAL, message: "internal error (the service logged it)" };
}

/**
 * A NestJS controller class serving `binding` over gRPC: one `@GrpcMethod`
 * handler per method, each delegating to the implementation object with a
 * nice-grpc `CallContext` (metadata, cancellation signal). Streaming methods
 * write the implementation's messages straight to the grpc-js call
 * (`pumpToCall`); Nest only sees an Observable that ends with the stream. Every call
 * is counted in the metrics and tracked for the graceful drain, and every
 * failure leaves as a gRPC status (RpcException, which Nest's gRPC transport
 * turns into the call's status).
 *
 * With `direct`, the same per-method logic is also given as plain grpc-js
 * handlers (`KitGrpcServer` registers those, so a call skips Nest's per-call
 * pipeline; failures then leave as `{ code, details }` grpc-js sends as is).
 *
 * Decorators are applied as functions (no decorator syntax, so no compiler
 * flags and no reflection metadata are needed).
 */
export function grpcController(
  binding: ServiceBinding,
  hooks: ControllerHooks,
  /** Filled with the same handlers for grpc-js itself, by method path (`KitGrpcServer` serves them). */
  direct?: Map<string, DirectHandler>,
): Type<unknown> {
  const { definition } = binding;
  const implementation = binding.implementation as Record<string, UnaryMethod | StreamMethod>;
  const serverSpan: ServerSpans =
    hooks.serverSpan ?? ((name, metadata) => startServerSpan(hooks.tracer, name, metadata));
  class GrpcServiceController {}
  Object.defineProperty(GrpcServiceController, "name", { value: `${definition.name}Controller` });

  for (const [key, method] of Object.entries(definition.methods)) {
    const target = implementation[key];
    if (typeof target !== "function")
      throw new TypeError(
        `the implementation object has no method for ${definition.fullName}.${method.name}`,
      );
    const labels = { service: definition.name, method: method.name };
    const where = `${definition.fullName}/${method.name}`;
    const follower = binding.followers?.includes(key) ?? false;
    // Bound once: counting a streamed message is then one addition, not a label lookup per message.
    const streamed = hooks.metrics.streamedTally(labels);
    const calls = hooks.metrics.callTally(labels);

    const begin = (metadata: GrpcMetadata | undefined, call: GrpcCall | undefined) => {
      const tracked = hooks.drain.begin(follower);
      if (!tracked) throw new RpcException({ code: Status.UNAVAILABLE, message: SHUTTING_DOWN });
      const { context, release } = releasableCallContext(metadata, call, tracked.controller);
      const traced = serverSpan(where, context.metadata);
      const stopTimer = hooks.metrics.latency.startTimer(labels);
      calls.begin();
      const finish = (code: Status) => {
        release();
        // Whatever the implementation still has in flight for this call is orphaned now. Only
        // aborted when something listens: an abort builds and dispatches an event (~5 µs a call).
        const { signal } = tracked.controller;
        if (!signal.aborted && getEventListeners(signal, "abort").length > 0)
          tracked.controller.abort(CALL_ENDED);
        stopTimer();
        calls.end(Status[code] ?? String(code));
        traced.end(code);
        tracked.end();
      };
      const failure = (error: unknown) => {
        const status = hooks.drain.stoppedByDrain(tracked.controller)
          ? { code: Status.UNAVAILABLE, message: SHUTTING_DOWN }
          : toStatus(error);
        if (status.code === Status.INTERNAL) hooks.onInternalError(where, error);
        finish(status.code);
        return new RpcException(status);
      };
      return { context, controller: tracked.controller, finish, failure };
    };

    const handler = method.responseStream
      ? (request: unknown, metadata: GrpcMetadata, call: StreamCall) => {
          // Refused (draining) before anything starts: Nest sends the status.
          const state = begin(metadata, call);
          let iterator: AsyncIterator<unknown>;
          try {
            iterator = (target as StreamMethod)
              .call(implementation, request, state.context)
              [Symbol.asyncIterator]();
          } catch (error) {
            throw state.failure(error);
          }
          return pumpToCall(iterator, call, state, streamed.inc, hooks.drain);
        }
      : async (request: unknown, metadata: GrpcMetadata, call: GrpcCall) => {
          const { context, finish, failure } = begin(metadata, call);
          try {
            const response = await (target as UnaryMethod).call(implementation, request, context);
            finish(Status.OK);
            return response;
          } catch (error) {
            throw failure(error);
          }
        };

    direct?.set(
      `/${definition.fullName}/${method.name}`,
      method.responseStream
        ? (call: DirectStreamCall & { request: unknown; metadata: GrpcMetadata }) => {
            let state: ReturnType<typeof begin>;
            try {
              state = begin(call.metadata, call);
            } catch (refused) {
              call.emit("error", grpcStatusOf(refused));
              return;
            }
            let iterator: AsyncIterator<unknown>;
            try {
              iterator = (target as StreamMethod)
                .call(implementation, call.request, state.context)
                [Symbol.asyncIterator]();
            } catch (error) {
              call.emit("error", grpcStatusOf(state.failure(error)));
              return;
            }
            pumpDirect(iterator, call, state, streamed.inc, hooks.drain, grpcStatusOf);
          }
        : (call: GrpcCall & { request: unknown; metadata: GrpcMetadata }, callback: UnaryCallback) => {
            let state: ReturnType<typeof begin>;
            try {
              state = begin(call.metadata, call);
            } catch (refused) {
              callback(grpcStatusOf(refused));
              return;
            }
            const { finish, failure } = state;
            let answer: Promise<unknown>;
            try {
              answer = (target as UnaryMethod).call(implementation, call.request, state.context);
            } catch (error) {
              callback(grpcStatusOf(failure(error)));
              return;
            }
            answer.then(
              (response) => {
                finish(Status.OK);
                callback(null, response);
              },
              (error: unknown) => callback(grpcStatusOf(failure(error))),
            );
          },
    );

    Object.defineProperty(GrpcServiceController.prototype, key, {
      value: handler,
      writable: true,
      configurable: true,
      enumerable: false,
    });
    // No parameter decorators, said explicitly: Nest then calls the handler with its own arguments
    // (request, metadata, call) instead of resolving each through its pipes machinery on every call.
    Reflect.defineMetadata(ROUTE_ARGS_METADATA, {}, GrpcServiceController, key);
    const descriptor = Object.getOwnPropertyDescriptor(GrpcServiceController.prototype, key);
    if (descriptor)
      GrpcMethod(definition.name, method.name)(GrpcServiceController.prototype, key, descriptor);
  }
  Controller()(GrpcServiceController);
  return GrpcServiceController;
}
