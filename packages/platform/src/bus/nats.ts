import { type JetStreamManager, jetstreamManager, type StreamConfig } from "@nats-io/jetstream";
import { connect, type MsgHdrs, type NatsConnection, headers as natsHeaders } from "@nats-io/transport-node";
import type { Headers } from "./port.js";

/** `NATS_URL` (comma-separated for a cluster). */
export interface NatsOptions {
  servers: string;
  /** Shown in the server's connection list. */
  name?: string;
}

export function connectNats(options: NatsOptions): Promise<NatsConnection> {
  return connect({
    servers: options.servers.split(",").map((server) => server.trim()),
    name: options.name ?? "toad",
    // Keep trying while the server restarts; publishes wait in the client's buffer meanwhile.
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
  });
}

/** Creates the stream, or brings an existing one to `config` (every replica runs this at start). */
export async function ensureStream(
  jsm: JetStreamManager,
  config: Partial<StreamConfig> & { name: string },
): Promise<void> {
  try {
    await jsm.streams.info(config.name);
    await jsm.streams.update(config.name, config);
  } catch (error) {
    if (!(error instanceof Error) || !/not found/i.test(error.message)) throw error;
    await jsm.streams.add(config);
  }
}

export async function manager(nc: NatsConnection): Promise<JetStreamManager> {
  return jetstreamManager(nc);
}

/**
 * NATS subject tokens cannot hold "." (the separator); session ids may.
 * "~" is outside the id alphabet, so the mapping is reversible.
 */
export function subjectToken(id: string): string {
  return id.replaceAll(".", "~");
}

export function toNatsHeaders(headers: Headers): MsgHdrs | undefined {
  const entries = Object.entries(headers);
  if (entries.length === 0) return undefined;
  const result = natsHeaders();
  for (const [key, value] of entries) result.set(key, value);
  return result;
}

export function fromNatsHeaders(headers: MsgHdrs | undefined): Headers {
  const result: Headers = {};
  if (!headers) return result;
  for (const key of headers.keys()) result[key.toLowerCase()] = headers.get(key);
  return result;
}

export const millisToNanos = (ms: number) => ms * 1_000_000;
