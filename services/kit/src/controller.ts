import type { Metadata as GrpcMetadata } from "@grpc/grpc-js";
import { Controller, type Type } from "@nestjs/common";
import { GrpcMethod, RpcException } from "@nestjs/microservices";
import type { Tracer } from "@opentelemetry/api";
import { type CallContext, ClientError, ServerError, Status } from "nice-grpc-common";
import { Observable } from "rxjs";
import { callContext, type GrpcCall } from "./call-context.js";
import { type DrainTracker, SHUTTING_DOWN } from "./drain.js";
import type { ServiceShape } from "./grpc-definition.js";
import type { ServiceMetrics } from "./metrics.js";
import { startServerSpan } from "./tracing.js";

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
  /** Called with every failure that is not a status the implementation chose (a bug, an outage). */
  onInternalError(where: string, error: unknown): void;
}

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
 * return an Observable over the implementation's async iterable. Every call
 * is counted in the metrics and tracked for the graceful drain, and every
 * failure leaves as a gRPC status (RpcException, which Nest's gRPC transport
 * turns into the call's status).
 *
 * Decorators are applied as functions (no decorator syntax, so no compiler
 * flags and no reflection metadata are needed).
 */
export function grpcController(binding: ServiceBinding, hooks: ControllerHooks): Type<unknown> {
  const { definition } = binding;
  const implementation = binding.implementation as Record<string, UnaryMethod | StreamMethod>;
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

    const begin = (metadata: GrpcMetadata | undefined, call: GrpcCall | undefined) => {
      const tracked = hooks.drain.begin(follower);
      if (!tracked) throw new RpcException({ code: Status.UNAVAILABLE, message: SHUTTING_DOWN });
      const context = callContext(metadata, call, tracked.controller);
      const traced = startServerSpan(hooks.tracer, where, context.metadata);
      const stopTimer = hooks.metrics.latency.startTimer(labels);
      hooks.metrics.active.inc(labels);
      const finish = (code: Status) => {
        stopTimer();
        hooks.metrics.active.dec(labels);
        hooks.metrics.handled.inc({ ...labels, code: Status[code] ?? String(code) });
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
      ? (request: unknown, metadata: GrpcMetadata, call: GrpcCall) =>
          new Observable<unknown>((subscriber) => {
            let state: ReturnType<typeof begin>;
            try {
              state = begin(metadata, call);
            } catch (error) {
              subscriber.error(error);
              return;
            }
            const { context, controller, finish, failure } = state;
            const iterator = (target as StreamMethod)
              .call(implementation, request, context)
              [Symbol.asyncIterator]();
            const pump = async () => {
              try {
                while (!subscriber.closed) {
                  const next = await iterator.next();
                  if (next.done) break;
                  streamed.inc();
                  subscriber.next(next.value);
                }
                if (hooks.drain.stoppedByDrain(controller)) throw new Error(SHUTTING_DOWN);
                finish(controller.signal.aborted ? Status.CANCELLED : Status.OK);
                subscriber.complete();
              } catch (error) {
                subscriber.error(failure(error));
              }
            };
            void pump();
            return () => {
              // The client went away (or the stream ended): stop the implementation.
              if (!controller.signal.aborted) controller.abort(new Error("stream closed"));
              void iterator.return?.();
            };
          })
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

    Object.defineProperty(GrpcServiceController.prototype, key, {
      value: handler,
      writable: true,
      configurable: true,
      enumerable: false,
    });
    const descriptor = Object.getOwnPropertyDescriptor(GrpcServiceController.prototype, key);
    if (descriptor)
      GrpcMethod(definition.name, method.name)(GrpcServiceController.prototype, key, descriptor);
  }
  Controller()(GrpcServiceController);
  return GrpcServiceController;
}
