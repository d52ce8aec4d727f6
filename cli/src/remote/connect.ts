import {
  type BatchServiceClient,
  BatchServiceDefinition,
  type GatewayServiceClient,
  GatewayServiceDefinition,
  type RouterServiceClient,
  RouterServiceDefinition,
  type SessionServiceClient,
  SessionServiceDefinition,
} from "@toad/proto";
import {
  type CallOptions,
  ClientError,
  createChannel,
  createClientFactory,
  Metadata,
  Status,
} from "nice-grpc";
import { CliError, EXIT } from "../errors.js";

/** Where the gateway is and who we are: `--gateway URL` / TOAD_GATEWAY_URL, and TOAD_TOKEN. */
export interface GatewayTarget {
  url: string;
  token: string;
}

export interface GatewayConnection {
  gateway: GatewayServiceClient;
  session: SessionServiceClient;
  router: RouterServiceClient;
  batch: BatchServiceClient;
  close(): void;
}

/**
 * A channel to the gateway whose every call carries the API token.
 * `host:port` and `http://host:port` connect in plain text (a gateway on a
 * private network or behind a port-forward); `https://host[:port]` uses TLS.
 */
export function connectGateway(target: GatewayTarget): GatewayConnection {
  const url = /^[a-z]+:\/\//.test(target.url) ? target.url : `http://${target.url}`;
  const channel = createChannel(url);
  const metadata = Metadata({ authorization: `Bearer ${target.token}` });
  const factory = createClientFactory().use(async function* withToken(call, options: CallOptions) {
    const merged = Metadata(options.metadata);
    merged.set("authorization", metadata.get("authorization") ?? "");
    return yield* call.next(call.request, { ...options, metadata: merged });
  });
  return {
    gateway: factory.create(GatewayServiceDefinition, channel),
    session: factory.create(SessionServiceDefinition, channel),
    router: factory.create(RouterServiceDefinition, channel),
    batch: factory.create(BatchServiceDefinition, channel),
    close: () => channel.close(),
  };
}

/** A gateway failure as a one-line CLI error with the right exit code. */
export function gatewayError(error: unknown, url: string): unknown {
  if (!(error instanceof ClientError)) return error;
  switch (error.code) {
    case Status.UNAUTHENTICATED:
      return new CliError(
        `the gateway at ${url} refused the token: ${error.details} (set TOAD_TOKEN)`,
        EXIT.usage,
      );
    case Status.PERMISSION_DENIED:
      return new CliError(`the gateway at ${url} says: ${error.details}`, EXIT.usage);
    case Status.UNAVAILABLE:
      return new CliError(`cannot reach the gateway at ${url}: ${error.details}`, EXIT.failed);
    case Status.RESOURCE_EXHAUSTED:
      return new CliError(`the gateway at ${url} is rate limiting this token: ${error.details}`, EXIT.failed);
    default:
      return new CliError(
        `the gateway at ${url} failed: ${Status[error.code]}: ${error.details}`,
        EXIT.failed,
      );
  }
}
