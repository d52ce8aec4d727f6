import type { Headers } from "../bus/port.js";

/** What a job handler gets besides the payload. */
export interface JobContext {
  jobId: string;
  /** 1 on first delivery; more when a previous worker failed or died. */
  attempt: number;
  /** Trace context of whoever enqueued the job. */
  headers: Headers;
  /** Aborts when the worker stops. */
  signal: AbortSignal;
}

/** A handler's verdict; throwing counts as `{ ok: false, retry: true }`. */
export type JobOutcome = { ok: true } | { ok: false; retry: boolean; message: string };

export type JobHandler<T> = (payload: T, context: JobContext) => Promise<JobOutcome | undefined>;

export interface JobWorker {
  /** Stops taking jobs; jobs in hand are finished (or, past `graceMs`, left to be redelivered). */
  stop(graceMs?: number): Promise<void>;
}

/**
 * A durable work queue of one kind of job (index, batch): each job goes to
 * exactly one worker at a time; it is acknowledged when its handler
 * succeeds, retried when it fails, and handed to another worker when its
 * worker dies (no acknowledgement nor heartbeat within the ack wait).
 */
export interface JobQueue<T> {
  /** Queues a job; the same `jobId` twice (within the dedup window) queues it once. Returns the id. */
  enqueue(payload: T, options?: { jobId?: string; headers?: Headers }): Promise<string>;
  work(handler: JobHandler<T>, options?: { concurrency?: number }): Promise<JobWorker>;
}
