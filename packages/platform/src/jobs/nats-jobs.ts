import { randomUUID } from "node:crypto";
import {
  AckPolicy,
  type JetStreamClient,
  type JsMsg,
  jetstream,
  RetentionPolicy,
  StorageType,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { ensureStream, fromNatsHeaders, manager, millisToNanos, toNatsHeaders } from "../bus/nats.js";
import type { Headers } from "../bus/port.js";
import type { JobHandler, JobOutcome, JobQueue, JobWorker } from "./port.js";

export const JOBS_STREAM = "TOAD_JOBS";

export interface NatsJobQueueOptions {
  /** Job kind: the subject `toad.jobs.<kind>` and the durable consumer `toad-jobs-<kind>`. */
  kind: string;
  /** How long a job may go without an ack or a heartbeat before another worker gets it. Default 30 s. */
  ackWaitMs?: number;
  /** Deliveries before a failing job is dropped. Default 5. */
  maxDeliver?: number;
  /** Wait before a failed job is offered again. Default 1 s. */
  retryDelayMs?: number;
}

const decoder = new TextDecoder();

/**
 * A job queue on JetStream: the work-queue stream TOAD_JOBS (a message is
 * removed once acknowledged) and one durable pull consumer per kind shared
 * by every worker of that kind, in any process. A worker in a long job sends
 * heartbeats (`working`) every third of the ack wait; a worker that dies sends
 * none, so after the ack wait JetStream redelivers the job to another.
 */
export class NatsJobQueue<T> implements JobQueue<T> {
  private readonly js: JetStreamClient;
  private readonly subject: string;
  private readonly durable: string;

  private constructor(
    nc: NatsConnection,
    private readonly options: Required<NatsJobQueueOptions>,
  ) {
    this.js = jetstream(nc);
    this.subject = `toad.jobs.${options.kind}`;
    this.durable = `toad-jobs-${options.kind}`;
  }

  static async open<T>(nc: NatsConnection, options: NatsJobQueueOptions): Promise<NatsJobQueue<T>> {
    if (!/^[a-z0-9-]+$/.test(options.kind)) throw new Error(`job kind "${options.kind}" must be [a-z0-9-]+`);
    const settings = { ackWaitMs: 30_000, maxDeliver: 5, retryDelayMs: 1_000, ...options };
    const jsm = await manager(nc);
    await ensureStream(jsm, {
      name: JOBS_STREAM,
      subjects: ["toad.jobs.*"],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
    });
    const consumer = {
      durable_name: `toad-jobs-${settings.kind}`,
      filter_subject: `toad.jobs.${settings.kind}`,
      ack_policy: AckPolicy.Explicit,
      ack_wait: millisToNanos(settings.ackWaitMs),
      max_deliver: settings.maxDeliver,
    };
    try {
      await jsm.consumers.info(JOBS_STREAM, consumer.durable_name);
      await jsm.consumers.update(JOBS_STREAM, consumer.durable_name, consumer);
    } catch (error) {
      if (!(error instanceof Error) || !/not found/i.test(error.message)) throw error;
      await jsm.consumers.add(JOBS_STREAM, consumer);
    }
    return new NatsJobQueue<T>(nc, settings);
  }

  async enqueue(payload: T, options: { jobId?: string; headers?: Headers } = {}): Promise<string> {
    const jobId = options.jobId ?? randomUUID();
    const headers = toNatsHeaders(options.headers ?? {});
    await this.js.publish(this.subject, JSON.stringify(payload), {
      msgID: jobId,
      ...(headers !== undefined && { headers }),
    });
    return jobId;
  }

  async work(handler: JobHandler<T>, options: { concurrency?: number } = {}): Promise<JobWorker> {
    const consumer = await this.js.consumers.get(JOBS_STREAM, this.durable);
    const controller = new AbortController();
    const loop = async () => {
      while (!controller.signal.aborted) {
        const message = await consumer.next({ expires: 1_000 }).catch(() => null);
        if (message === null) continue;
        if (controller.signal.aborted) {
          message.nak();
          return;
        }
        await this.handle(message, handler, controller.signal);
      }
    };
    const loops = Array.from({ length: Math.max(1, options.concurrency ?? 1) }, loop);
    return {
      async stop(graceMs = 5_000) {
        controller.abort();
        await Promise.race([
          Promise.all(loops),
          new Promise((resolve) => setTimeout(resolve, graceMs).unref()),
        ]);
      },
    };
  }

  private async handle(message: JsMsg, handler: JobHandler<T>, signal: AbortSignal): Promise<void> {
    const heartbeat = setInterval(() => message.working(), Math.max(100, this.options.ackWaitMs / 3));
    let outcome: JobOutcome | undefined;
    try {
      const payload = JSON.parse(decoder.decode(message.data)) as T;
      outcome = await handler(payload, {
        jobId: message.headers?.get("Nats-Msg-Id") ?? String(message.seq),
        attempt: message.info.deliveryCount,
        headers: fromNatsHeaders(message.headers),
        signal,
      });
    } catch (error) {
      outcome = { ok: false, retry: true, message: error instanceof Error ? error.message : String(error) };
    } finally {
      clearInterval(heartbeat);
    }
    if (outcome === undefined || outcome.ok) message.ack();
    else if (outcome.retry && message.info.deliveryCount < this.options.maxDeliver)
      message.nak(this.options.retryDelayMs);
    else message.term(outcome.message);
  }
}
