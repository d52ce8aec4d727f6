import {
  DeliverPolicy,
  DiscardPolicy,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  RetentionPolicy,
  StorageType,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { ensureStream, manager, millisToNanos } from "../bus/nats.js";
import { type BatchResultRecord, batchJobId } from "./types.js";

export const BATCH_RESULTS_STREAM = "TOAD_BATCH_RESULTS";
const PREFIX = "toad.batch.results";

export interface NatsBatchResultsOptions {
  /** How long a run's results stay readable. Default 7 days. */
  maxAgeMs?: number;
}

/** What publishing a result did: stored it, or found the instance already had one. */
export type PublishOutcome = "stored" | "duplicate";

/**
 * The results of batch runs on JetStream: one subject per instance of a run
 * (`toad.batch.results.<org>.<run>.<instance>`), at most one message per
 * subject, and a second publish on it refused (`discard_new_per_subject`),
 * whatever the dedup window. So even when two workers both finish an
 * instance (one was presumed dead and its job redelivered), the stream holds
 * exactly one result for it; the msg id dedups plain retries too.
 */
export class NatsBatchResults {
  private constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
  ) {}

  static async open(nc: NatsConnection, options: NatsBatchResultsOptions = {}): Promise<NatsBatchResults> {
    const jsm = await manager(nc);
    await ensureStream(jsm, {
      name: BATCH_RESULTS_STREAM,
      subjects: [`${PREFIX}.>`],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      max_age: millisToNanos(options.maxAgeMs ?? 7 * 24 * 3_600_000),
      max_msgs_per_subject: 1,
      discard: DiscardPolicy.New,
      discard_new_per_subject: true,
    });
    return new NatsBatchResults(jetstream(nc), jsm);
  }

  async publish(record: BatchResultRecord): Promise<PublishOutcome> {
    try {
      const ack = await this.js.publish(
        resultSubject(record.orgId, record.runId, record.instanceId),
        JSON.stringify(record),
        { msgID: batchJobId(record.runId, record.instanceId) },
      );
      return ack.duplicate ? "duplicate" : "stored";
    } catch (error) {
      if (error instanceof Error && /maximum messages per subject/i.test(error.message)) return "duplicate";
      throw error;
    }
  }

  /** The instance's result, when it has one. */
  async find(orgId: string, runId: string, instanceId: string): Promise<BatchResultRecord | undefined> {
    const stored = await this.jsm.streams.getMessage(BATCH_RESULTS_STREAM, {
      last_by_subj: resultSubject(orgId, runId, instanceId),
    });
    return stored ? stored.json<BatchResultRecord>() : undefined;
  }

  /** The ids of the run's instances that have a result now. */
  async finished(orgId: string, runId: string): Promise<Set<string>> {
    const info = await this.jsm.streams.info(BATCH_RESULTS_STREAM, {
      subjects_filter: runFilter(orgId, runId),
    });
    const subjects = Object.keys(info.state.subjects ?? {});
    return new Set(subjects.map((subject) => decodeToken(subject.slice(subject.lastIndexOf(".") + 1))));
  }

  /** Every result of the run, stored ones first, then each as it is published, until `signal` aborts or the caller stops. */
  async *follow(orgId: string, runId: string, signal: AbortSignal): AsyncGenerator<BatchResultRecord> {
    const consumer = await this.js.consumers.get(BATCH_RESULTS_STREAM, {
      filter_subjects: runFilter(orgId, runId),
      deliver_policy: DeliverPolicy.All,
    });
    const messages = await consumer.consume();
    const stop = () => void messages.close();
    signal.addEventListener("abort", stop, { once: true });
    try {
      if (signal.aborted) return;
      for await (const message of messages) yield message.json<BatchResultRecord>();
    } finally {
      signal.removeEventListener("abort", stop);
      await messages.close();
    }
  }
}

function resultSubject(orgId: string, runId: string, instanceId: string): string {
  return `${PREFIX}.${encodeToken(orgId)}.${encodeToken(runId)}.${encodeToken(instanceId)}`;
}

function runFilter(orgId: string, runId: string): string {
  return `${PREFIX}.${encodeToken(orgId)}.${encodeToken(runId)}.*`;
}

/** A subject token for free text: characters outside [A-Za-z0-9_-] become `~XX` (reversible). */
function encodeToken(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, (char) =>
    [...new TextEncoder().encode(char)].map((byte) => `~${byte.toString(16).padStart(2, "0")}`).join(""),
  );
}

function decodeToken(token: string): string {
  const bytes: number[] = [];
  for (let index = 0; index < token.length; ) {
    if (token[index] === "~") {
      bytes.push(Number.parseInt(token.slice(index + 1, index + 3), 16));
      index += 3;
    } else {
      bytes.push(token.charCodeAt(index));
      index += 1;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
