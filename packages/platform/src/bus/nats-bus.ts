import {
  DeliverPolicy,
  type JetStreamClient,
  jetstream,
  RetentionPolicy,
  StorageType,
} from "@nats-io/jetstream";
import { type MsgHdrs, type NatsConnection, NoRespondersError, RequestError } from "@nats-io/transport-node";
import { type AgentEvent, parseEvent } from "@toad/core";
import {
  connectNats,
  ensureStream,
  fromNatsHeaders,
  manager,
  millisToNanos,
  type NatsOptions,
  subjectToken,
  toNatsHeaders,
} from "./nats.js";
import type { Headers, RunCommand, RunReply, SessionBus, Unsubscribe } from "./port.js";

export const EVENTS_STREAM = "TOAD_SESSION_EVENTS";

export interface NatsBusOptions extends NatsOptions {
  /** How long the events stream keeps an event; watchers read older ones from the store. Default 1 h. */
  eventsMaxAgeMs?: number;
  /** How long a command waits for the replica running the session. Default 5 s. */
  commandTimeoutMs?: number;
}

const eventsSubject = (sessionId: string) => `toad.session.${subjectToken(sessionId)}.events`;
const runSubject = (sessionId: string) => `toad.session.${subjectToken(sessionId)}.run`;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The session bus on NATS. Events go to the JetStream stream
 * TOAD_SESSION_EVENTS (subject `toad.session.<id>.events`); each watcher
 * reads them through its own ordered consumer, so every replica's Resume
 * streams see every event, in order, with the publisher's headers (trace
 * context). Commands for a run are NATS request/reply on
 * `toad.session.<id>.run`, answered by the replica running it; no responder
 * means no replica runs the session.
 */
export class NatsSessionBus implements SessionBus {
  private readonly js: JetStreamClient;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly options: NatsBusOptions,
    private readonly ownsConnection: boolean,
  ) {
    this.js = jetstream(nc);
  }

  static async connect(options: NatsBusOptions, connection?: NatsConnection): Promise<NatsSessionBus> {
    const nc = connection ?? (await connectNats(options));
    await ensureStream(await manager(nc), {
      name: EVENTS_STREAM,
      subjects: ["toad.session.*.events"],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      max_age: millisToNanos(options.eventsMaxAgeMs ?? 3_600_000),
    });
    return new NatsSessionBus(nc, options, connection === undefined);
  }

  /**
   * A plain NATS publish on the stream's subject: JetStream stores it all the
   * same, without a PubAck round trip (and its request bookkeeping) for every
   * streamed event. The store is the truth and watchers fill gaps from it, so
   * the bus needs no acknowledgement; the connection keeps what it could not
   * send yet while NATS restarts.
   */
  async publish(event: AgentEvent, headers: Headers = {}): Promise<void> {
    const natsHeaders = this.natsHeadersOf(headers);
    this.nc.publish(
      eventsSubject(event.sessionId),
      JSON.stringify(event),
      natsHeaders === undefined ? undefined : { headers: natsHeaders },
    );
  }

  /** A run publishes all its events with one headers object: convert it once. */
  private readonly converted = new WeakMap<Headers, MsgHdrs | undefined>();
  private natsHeadersOf(headers: Headers): MsgHdrs | undefined {
    if (!this.converted.has(headers)) this.converted.set(headers, toNatsHeaders(headers));
    return this.converted.get(headers);
  }

  async watch(
    sessionId: string,
    onEvent: (event: AgentEvent, headers: Headers) => void,
  ): Promise<Unsubscribe> {
    const consumer = await this.js.consumers.get(EVENTS_STREAM, {
      filter_subjects: eventsSubject(sessionId),
      deliver_policy: DeliverPolicy.New,
    });
    const messages = await consumer.consume();
    const pump = (async () => {
      for await (const message of messages) {
        onEvent(parseEvent(decoder.decode(message.data)), fromNatsHeaders(message.headers));
      }
    })();
    return async () => {
      await messages.close();
      await pump;
    };
  }

  async serveRun(sessionId: string, handler: (command: RunCommand) => RunReply): Promise<Unsubscribe> {
    const subscription = this.nc.subscribe(runSubject(sessionId), {
      callback: (error, message) => {
        if (error) return;
        const reply = handler(JSON.parse(decoder.decode(message.data)) as RunCommand);
        message.respond(encoder.encode(JSON.stringify(reply)));
      },
    });
    // The subscription must be known to the server before a command can find it.
    await this.nc.flush();
    return async () => {
      subscription.unsubscribe();
      // Once this resolves the server has dropped the subscription: no replica answers for the run.
      await this.nc.flush();
    };
  }

  async command(sessionId: string, command: RunCommand): Promise<RunReply | undefined> {
    try {
      const reply = await this.nc.request(runSubject(sessionId), encoder.encode(JSON.stringify(command)), {
        timeout: this.options.commandTimeoutMs ?? 5_000,
      });
      return JSON.parse(decoder.decode(reply.data)) as RunReply;
    } catch (error) {
      if (error instanceof NoRespondersError) return undefined;
      if (error instanceof RequestError && error.isNoResponders()) return undefined;
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.ownsConnection) await this.nc.drain();
  }
}

export function connectNatsBus(options: NatsBusOptions): Promise<NatsSessionBus> {
  return NatsSessionBus.connect(options);
}
