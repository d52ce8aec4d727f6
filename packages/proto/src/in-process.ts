import {
  type CallContext,
  type CallOptions,
  ClientError,
  Metadata,
  ServerError,
  Status,
} from "nice-grpc-common";

/** What ts-proto generates for every message: enough to normalise partial objects. */
interface MessageType<Partial, Full> {
  fromPartial(object: Partial): Full;
}

interface MethodDefinition {
  readonly name: string;
  readonly requestType: MessageType<never, unknown>;
  readonly responseType: MessageType<never, unknown>;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
}

export interface ServiceDefinition {
  readonly fullName: string;
  readonly methods: Readonly<Record<string, MethodDefinition>>;
}

type PartialOf<M> = M extends MessageType<infer P, unknown> ? P : never;
type FullOf<M> = M extends MessageType<never, infer F> ? F : never;

type ClientMethod<M extends MethodDefinition> = M["responseStream"] extends true
  ? (request: PartialOf<M["requestType"]>, options?: CallOptions) => AsyncIterable<FullOf<M["responseType"]>>
  : (request: PartialOf<M["requestType"]>, options?: CallOptions) => Promise<FullOf<M["responseType"]>>;

type ImplementationMethod<M extends MethodDefinition> = M["responseStream"] extends true
  ? (request: FullOf<M["requestType"]>, context: CallContext) => AsyncIterable<PartialOf<M["responseType"]>>
  : (request: FullOf<M["requestType"]>, context: CallContext) => Promise<PartialOf<M["responseType"]>>;

/** The client interface of a service, derived from its definition (same shape as ts-proto's `*ServiceClient`). */
export type InProcessClient<D extends ServiceDefinition> = {
  [K in keyof D["methods"]]: ClientMethod<D["methods"][K]>;
};

/** The implementation interface of a service (same shape as ts-proto's `*ServiceImplementation`). */
export type ServiceImplementation<D extends ServiceDefinition> = {
  [K in keyof D["methods"]]: ImplementationMethod<D["methods"][K]>;
};

type AnyUnary = (request: unknown, context: CallContext) => Promise<unknown>;
type AnyStreaming = (request: unknown, context: CallContext) => AsyncIterable<unknown>;

/**
 * The embedded wiring's half of the service seam: turns an implementation
 * object into a client with the same behaviour a gRPC client of that service
 * has — requests and responses normalised through the message types (defaults
 * filled, as on the wire), server errors surfaced as `ClientError`, and
 * cancellation (caller's signal, or breaking out of a stream) reaching the
 * implementation through `context.signal`.
 */
export function inProcessClient<D extends ServiceDefinition>(
  definition: D,
  implementation: ServiceImplementation<D>,
): InProcessClient<D> {
  const client: Record<string, unknown> = {};
  for (const [key, method] of Object.entries(definition.methods)) {
    const path = `/${definition.fullName}/${method.name}`;
    const target = (implementation as Record<string, unknown>)[key];
    if (typeof target !== "function")
      throw new TypeError(`the implementation object has no method for ${path}`);
    const normaliseRequest = (request: unknown) => method.requestType.fromPartial(request as never);
    const normaliseResponse = (response: unknown) => method.responseType.fromPartial(response as never);
    if (method.requestStream) throw new TypeError(`${path}: client-streaming methods are not supported`);
    client[key] = method.responseStream
      ? async function* (request: unknown, options?: CallOptions) {
          const call = startCall(options);
          let iterator: AsyncIterator<unknown> | undefined;
          try {
            const stream = (target as AnyStreaming).call(
              implementation,
              normaliseRequest(request),
              call.context,
            );
            iterator = stream[Symbol.asyncIterator]();
            while (true) {
              const next = await Promise.race([iterator.next(), call.aborted]);
              if (next.done) return;
              yield normaliseResponse(next.value);
            }
          } catch (error) {
            throw toClientError(path, error);
          } finally {
            // Abort first so the implementation sees the cancellation while it unwinds.
            call.end();
            await iterator?.return?.();
          }
        }
      : async (request: unknown, options?: CallOptions) => {
          const call = startCall(options);
          try {
            const response = (target as AnyUnary).call(
              implementation,
              normaliseRequest(request),
              call.context,
            );
            return normaliseResponse(await Promise.race([response, call.aborted]));
          } catch (error) {
            throw toClientError(path, error);
          } finally {
            call.end();
          }
        };
  }
  return client as InProcessClient<D>;
}

interface InProcessCall {
  context: CallContext;
  /** Rejects with an AbortError when the caller aborts, as a gRPC client call does. */
  aborted: Promise<never>;
  end(): void;
}

function startCall(options: CallOptions | undefined): InProcessCall {
  const controller = new AbortController();
  const callerSignal = options?.signal;
  let rejectAborted: (error: Error) => void = () => {};
  const aborted = new Promise<never>((_resolve, reject) => {
    rejectAborted = reject;
  });
  aborted.catch(() => {}); // only observed when raced
  const onAbort = () => {
    controller.abort(callerSignal?.reason);
    rejectAborted(abortError());
  };
  if (callerSignal?.aborted) onAbort();
  else callerSignal?.addEventListener("abort", onAbort, { once: true });
  const context: CallContext = {
    metadata: options?.metadata ?? Metadata(),
    peer: "in-process",
    header: Metadata(),
    trailer: Metadata(),
    sendHeader: () => {},
    signal: controller.signal,
  };
  return {
    context,
    aborted,
    end() {
      callerSignal?.removeEventListener("abort", onAbort);
      // Whatever ended the call (completion, error, consumer stopped reading),
      // work the implementation still has in flight for it is now orphaned.
      controller.abort();
    },
  };
}

function abortError(): Error {
  const error = new Error("The operation has been aborted");
  error.name = "AbortError";
  return error;
}

function toClientError(path: string, error: unknown): unknown {
  if (error instanceof ServerError) return new ClientError(path, error.code, error.details);
  if (error instanceof ClientError) return error;
  if (error instanceof Error && error.name === "AbortError") return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ClientError(path, Status.UNKNOWN, message);
}
