import type { Metadata as GrpcMetadata } from "@grpc/grpc-js";
import { type CallContext, Metadata } from "nice-grpc-common";

/** What Nest hands a gRPC handler as its third argument: the grpc-js call. */
export interface GrpcCall {
  getPeer(): string;
  on(event: "cancelled" | "close", listener: () => void): unknown;
  off?(event: "cancelled" | "close", listener: () => void): unknown;
}

/** grpc-js metadata as nice-grpc metadata (what `*ServiceImplementation`s read). */
export function toNiceMetadata(grpcMetadata: GrpcMetadata | undefined): Metadata {
  const metadata = Metadata();
  if (!grpcMetadata) return metadata;
  for (const [key, values] of Object.entries(grpcMetadata.toJSON())) {
    for (const value of values) {
      if (key.endsWith("-bin")) metadata.append(key, typeof value === "string" ? Buffer.from(value) : value);
      else metadata.append(key, typeof value === "string" ? value : value.toString());
    }
  }
  return metadata;
}

/**
 * The nice-grpc `CallContext` of a call arriving through Nest: its metadata,
 * its peer, and a signal that aborts when the client cancels or when the
 * server stops the call (drain at shutdown).
 */
export function callContext(
  grpcMetadata: GrpcMetadata | undefined,
  call: GrpcCall | undefined,
  controller: AbortController,
): CallContext {
  call?.on("cancelled", () => controller.abort(new Error("cancelled by the client")));
  return contextOf(grpcMetadata, call, controller.signal);
}

/**
 * `callContext` for a call the caller ends itself: `release` stops listening
 * for the client's cancellation. grpc-js reports every call as cancelled once
 * its status is sent, so a listener left on would abort (and build an error
 * for) every call that already ended normally.
 */
export function releasableCallContext(
  grpcMetadata: GrpcMetadata | undefined,
  call: GrpcCall | undefined,
  controller: AbortController,
): { context: CallContext; release(): void } {
  const onCancel = () => controller.abort(new Error("cancelled by the client"));
  call?.on("cancelled", onCancel);
  return {
    context: contextOf(grpcMetadata, call, controller.signal),
    release: () => call?.off?.("cancelled", onCancel),
  };
}

const noop = () => {};

function contextOf(
  grpcMetadata: GrpcMetadata | undefined,
  call: GrpcCall | undefined,
  signal: AbortSignal,
): CallContext {
  // header and trailer are made when first read: a nice-grpc Metadata is a dozen closures, and
  // implementations served through Nest hardly ever touch them (Nest sends neither).
  let header: Metadata | undefined;
  let trailer: Metadata | undefined;
  return {
    metadata: toNiceMetadata(grpcMetadata),
    peer: call?.getPeer() ?? "unknown",
    get header() {
      header ??= Metadata();
      return header;
    },
    get trailer() {
      trailer ??= Metadata();
      return trailer;
    },
    sendHeader: noop,
    signal,
  };
}
