import {
  type ChannelCredentials,
  Client,
  type ClientReadableStream,
  type Client as GrpcClient,
  Metadata as GrpcMetadata,
} from "@grpc/grpc-js";
import type { Channel, CompatServiceDefinition, Client as NiceClient } from "nice-grpc";
import { ClientError, type Metadata } from "nice-grpc-common";
import { upstreamChannel } from "./clients.js";
import type { ServiceShape } from "./grpc-definition.js";

interface Options {
  metadata?: Metadata;
  signal?: AbortSignal;
}

/** What a call aborted by its caller's signal rejects with (nice-grpc's contract: name "AbortError"). */
class AbortError extends Error {
  override readonly name = "AbortError";
  constructor() {
    super("The operation has been aborted");
  }
}

/** A grpc-js failure (`{ code, details, metadata }`) as nice-grpc's ClientError, so callers relay it alike. */
function clientError(error: unknown, path: string): unknown {
  const status = error as { code?: unknown; details?: unknown };
  if (typeof status?.code === "number" && typeof status.details === "string")
    return new ClientError(path, status.code, status.details);
  return error;
}

function toGrpcMetadata(metadata: Metadata | undefined): GrpcMetadata {
  const converted = new GrpcMetadata();
  if (!metadata) return converted;
  for (const [key, values] of metadata)
    for (const value of values)
      converted.add(
        key,
        typeof value === "string" ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength),
      );
  return converted;
}

/**
 * A client of an upstream service with nice-grpc's calling convention
 * (`method(request, { metadata, signal })`, unary → Promise, server
 * streaming → AsyncIterable, failures as ClientError, an aborted call as an
 * AbortError) made straight on grpc-js: no middleware chain of async
 * generators, no abort-controller-x wrapper, no Readable async iterator per
 * stream. Only unary and server-streaming methods (what the gateway relays).
 */
export function rawUpstreamClient<D extends CompatServiceDefinition & ServiceShape>(
  definition: D,
  address: string,
): { client: NiceClient<D>; channel: Channel } {
  const channel = upstreamChannel(address);
  const grpc = new Client("", null as unknown as ChannelCredentials, { channelOverride: channel });
  const client: Record<string, unknown> = {};
  for (const [key, method] of Object.entries(definition.methods)) {
    if (method.requestStream) continue;
    const path = `/${definition.fullName}/${method.name}`;
    const serialize = (value: unknown) => {
      const bytes = method.requestType
        .encode(method.requestType.fromPartial(value as never) as never)
        .finish();
      return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    };
    const deserialize = (bytes: Buffer) => method.responseType.decode(bytes);
    const raw: RawMethod = { grpc, path, serialize, deserialize };
    client[key] = method.responseStream
      ? (request: unknown, options: Options = {}) => serverStream(raw, request, options)
      : (request: unknown, options: Options = {}) => unary(raw, request, options);
  }
  return { client: client as NiceClient<D>, channel };
}

/** One method on the shared grpc-js client: its path and message codec. */
interface RawMethod {
  grpc: GrpcClient;
  path: string;
  serialize(value: unknown): Buffer;
  deserialize(bytes: Buffer): unknown;
}

function unary(
  { grpc, path, serialize, deserialize }: RawMethod,
  request: unknown,
  { metadata, signal }: Options,
): Promise<unknown> {
  if (signal?.aborted) return Promise.reject(new AbortError());
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      call.cancel();
      reject(new AbortError());
    };
    const call = grpc.makeUnaryRequest(
      path,
      serialize,
      deserialize,
      request,
      toGrpcMetadata(metadata),
      (error, response) => {
        signal?.removeEventListener("abort", onAbort);
        if (error) reject(clientError(error, path));
        else resolve(response);
      },
    );
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Messages buffered before the upstream stream is paused (the relay's reader is slower). */
const HIGH_WATER = 16;

function serverStream(
  { grpc, path, serialize, deserialize }: RawMethod,
  request: unknown,
  { metadata, signal }: Options,
): AsyncIterable<unknown> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<unknown> {
      if (signal?.aborted) return failed(new AbortError());
      const call: ClientReadableStream<unknown> = grpc.makeServerStreamRequest(
        path,
        serialize,
        deserialize,
        request,
        toGrpcMetadata(metadata),
      );
      const queue: unknown[] = [];
      let waiting:
        | { resolve(result: IteratorResult<unknown>): void; reject(error: unknown): void }
        | undefined;
      let ended = false;
      let failure: unknown;
      let paused = false;
      const onAbort = () => call.cancel();
      signal?.addEventListener("abort", onAbort, { once: true });
      const settle = () => {
        signal?.removeEventListener("abort", onAbort);
        const reader = waiting;
        waiting = undefined;
        if (!reader) return;
        if (failure !== undefined) reader.reject(failure);
        else reader.resolve({ done: true, value: undefined });
      };
      call.on("data", (message: unknown) => {
        if (waiting) {
          const reader = waiting;
          waiting = undefined;
          reader.resolve({ done: false, value: message });
          return;
        }
        queue.push(message);
        if (queue.length >= HIGH_WATER && !paused) {
          paused = true;
          call.pause();
        }
      });
      call.on("end", () => {
        ended = true;
        // Stopped by the caller's signal: an AbortError, as nice-grpc reports it.
        if (signal?.aborted && failure === undefined) failure = new AbortError();
        settle();
      });
      call.on("error", (error: unknown) => {
        ended = true;
        failure = signal?.aborted ? new AbortError() : clientError(error, path);
        settle();
      });
      return {
        next() {
          const message = queue.shift();
          if (message !== undefined) {
            if (paused && queue.length < HIGH_WATER / 2) {
              paused = false;
              call.resume();
            }
            return Promise.resolve({ done: false, value: message });
          }
          if (failure !== undefined) return Promise.reject(failure);
          if (ended) return Promise.resolve({ done: true, value: undefined });
          return new Promise((resolve, reject) => {
            waiting = { resolve, reject };
          });
        },
        async return(value?: unknown) {
          if (!ended) {
            ended = true;
            signal?.removeEventListener("abort", onAbort);
            call.cancel();
          }
          return { done: true, value };
        },
      };
    },
  };
}

function failed(error: unknown): AsyncIterator<unknown> {
  return {
    next: () => Promise.reject(error),
    return: async (value?: unknown) => ({ done: true, value }),
  };
}
