import {
  type Channel,
  type Client,
  type CompatServiceDefinition,
  createChannel,
  createClient,
} from "nice-grpc";

/**
 * A nice-grpc client of an upstream service (`TOAD_SESSION_URL=host:port`).
 * Channels reconnect by themselves; a call while the upstream is down fails
 * with UNAVAILABLE.
 */
export function upstreamClient<D extends CompatServiceDefinition>(
  definition: D,
  address: string,
): { client: Client<D>; channel: Channel } {
  const channel = createChannel(address.includes("://") ? address : `http://${address}`);
  return { client: createClient(definition, channel), channel };
}
