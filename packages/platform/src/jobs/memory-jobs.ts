import { randomUUID } from "node:crypto";
import type { Headers } from "../bus/port.js";
import type { JobHandler, JobQueue, JobWorker } from "./port.js";

interface Queued<T> {
  jobId: string;
  payload: T;
  headers: Headers;
  attempt: number;
}

/** The job queue in process memory (embedded, `toad serve` on embedded stores): nothing survives the process. */
export class MemoryJobQueue<T> implements JobQueue<T> {
  private readonly queue: Queued<T>[] = [];
  private readonly seen = new Set<string>();
  private readonly wakers = new Set<() => void>();

  constructor(private readonly maxDeliver = 5) {}

  async enqueue(payload: T, options: { jobId?: string; headers?: Headers } = {}): Promise<string> {
    const jobId = options.jobId ?? randomUUID();
    if (this.seen.has(jobId)) return jobId;
    this.seen.add(jobId);
    this.queue.push({ jobId, payload, headers: options.headers ?? {}, attempt: 0 });
    for (const wake of this.wakers) wake();
    return jobId;
  }

  async work(handler: JobHandler<T>, options: { concurrency?: number } = {}): Promise<JobWorker> {
    const controller = new AbortController();
    const loop = async () => {
      while (!controller.signal.aborted) {
        const job = this.queue.shift();
        if (!job) {
          await new Promise<void>((resolve) => {
            const wake = () => {
              this.wakers.delete(wake);
              resolve();
            };
            this.wakers.add(wake);
            controller.signal.addEventListener("abort", wake, { once: true });
          });
          continue;
        }
        job.attempt++;
        const outcome = await handler(job.payload, {
          jobId: job.jobId,
          attempt: job.attempt,
          headers: job.headers,
          signal: controller.signal,
        }).catch((error: unknown) => ({ ok: false as const, retry: true, message: String(error) }));
        if (outcome && !outcome.ok && outcome.retry && job.attempt < this.maxDeliver) this.queue.push(job);
      }
    };
    const loops = Array.from({ length: Math.max(1, options.concurrency ?? 1) }, loop);
    return {
      async stop() {
        controller.abort();
        await Promise.all(loops);
      },
    };
  }
}
