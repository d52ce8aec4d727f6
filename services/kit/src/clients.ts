import {
  type Channel,
  type Client,
  type CompatServiceDefinition,
  createChannel,
  createClient,
} from "nice-grpc";

/**
 * grpc-js options of every channel and server of the platform. Channelz (call
 * and socket statistics kept for a channelz service) is off: nothing here
 * serves channelz, and it costs bookkeeping on every call and message.
 */
export const GRPC_OPTIONS = { "grpc.enable_channelz": 0 };

/** A channel to an upstream service at `host:port` (or a URL). */
export function upstreamChannel(address: string): Channel {
  return createChannel(address.includes("://") ? address : `http://${address}`, undefined, GRPC_OPTIONS);
}

/**
 * A nice-grpc client of an upstream service (`TOAD_SESSION_URL=host:port`).
 * Channels reconnect by themselves; a call while the upstream is down fails
 * with UNAVAILABLE.
 */
export function upstreamClient<D extends CompatServiceDefinition>(
  definition: D,
  address: string,
): { client: Client<D>; channel: Channel } {
  const channel = upstreamChannel(address);
  return { client: createClient(definition, channel), channel };
}
