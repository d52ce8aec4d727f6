import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { ModelClient, SyntaxChecker } from "@toad/core";
import type { BatchJob, BatchResultRecord, JobQueue, JobWorker, NatsBatchResults } from "@toad/platform";
import type { SandboxLogger } from "@toad/sandbox";
import {
  blankResult,
  type ContextHooks,
  type InstanceRunnerDeps,
  instanceDirName,
  runInstance,
} from "../instance-runner.js";
import { Janitor } from "../janitor.js";
import { RepoCache } from "../repos.js";
import type { InstanceResult } from "../types.js";

export interface BatchWorkerOptions {
  jobs: Pick<JobQueue<BatchJob>, "work">;
  results: Pick<NatsBatchResults, "find" | "publish">;
  /** The repository cache the workspaces borrow from. */
  reposDir: string;
  cloneFrom?: string;
  /** This worker's own folder for workspaces and instance logs; emptied at start. */
  workRoot: string;
  /** Instances at once in this process. */
  concurrency: number;
  /** Names the worker in results and logs (the pod name). */
  name: string;
  /** A model client for one job (its own cost ledger; the job's org pays). */
  modelFor(job: BatchJob): ModelClient;
  logger: SandboxLogger & { info(message: string): void };
  syntaxChecker?: SyntaxChecker;
  sandbox?: "auto" | "bubblewrap" | "process";
  hooks?: ContextHooks;
  /**
   * The queue's delivery limit (its `maxDeliver`). The last delivery does not
   * run the instance: every earlier worker that took it stopped or died, so
   * it ends as an error result rather than taking one more worker down, or
   * being dropped by the queue with no result for the client to wait on.
   */
  maxAttempts: number;
}

/**
 * A batch worker: takes instance jobs from the work queue, runs each exactly
 * as a local `toad batch run` does (fresh workspace at base_commit from the
 * repository cache, the agent in full-auto, the sandbox without network),
 * publishes the prediction with its trajectory's summary, then acknowledges.
 * A job whose instance already has a result (its first worker finished it
 * and died before acknowledging) is acknowledged without running again.
 */
export async function startBatchWorker(options: BatchWorkerOptions): Promise<JobWorker> {
  await rm(options.workRoot, { recursive: true, force: true });
  await mkdir(options.workRoot, { recursive: true });
  const janitor = new Janitor();
  const base: Omit<InstanceRunnerDeps, "modelFor"> = {
    repos: new RepoCache({
      dir: options.reposDir,
      ...(options.cloneFrom !== undefined && { cloneFrom: options.cloneFrom }),
    }),
    janitor,
    recycleWorkspaces: true,
    logger: options.logger,
    ...(options.syntaxChecker !== undefined && { syntaxChecker: options.syntaxChecker }),
    ...(options.sandbox !== undefined && { sandbox: options.sandbox }),
    ...(options.hooks !== undefined && { hooks: options.hooks }),
  };
  // Each instance in hand has its own checkout, reset between instances.
  const freeSlots = Array.from({ length: options.concurrency }, (_, index) =>
    join(options.workRoot, `slot-${index + 1}`),
  );
  const worker = await options.jobs.work(
    async (job, context) => {
      const id = job.instance.instance_id;
      if (await options.results.find(job.orgId, job.runId, id)) {
        options.logger.info(`skipped ${job.runId}/${id}: it already has a result`);
        return { ok: true };
      }
      if (context.attempt >= options.maxAttempts) {
        const gaveUp: InstanceResult = {
          ...blankResult(id, Date.now()),
          status: "error",
          error: `not run: the ${context.attempt - 1} workers that took this instance stopped or died mid-instance`,
        };
        await options.results.publish(resultRecord(job, gaveUp, options.name, context.attempt));
        options.logger.warn(`gave up on ${job.runId}/${id} at attempt ${context.attempt}`);
        return { ok: true };
      }
      const slot = freeSlots.pop();
      if (slot === undefined) return { ok: false, retry: true, message: "no free workspace slot" };
      const outDir = join(options.workRoot, "out", `${instanceDirName(id)}-${context.attempt}`);
      options.logger.info(`started ${job.runId}/${id} attempt ${context.attempt}`);
      try {
        const deps: InstanceRunnerDeps = { ...base, modelFor: () => options.modelFor(job) };
        const run = await runInstance(job, { outDir, workspace: slot }, deps, context.signal);
        if (run.cancelled) return { ok: false, retry: true, message: "the worker stopped mid-instance" };
        const stored = await options.results.publish(
          resultRecord(job, run.result, options.name, context.attempt),
        );
        options.logger.info(`finished ${job.runId}/${id}: ${run.result.status}, result ${stored}`);
        return { ok: true };
      } finally {
        freeSlots.push(slot);
        await rm(outDir, { recursive: true, force: true });
      }
    },
    { concurrency: options.concurrency },
  );
  return {
    async stop(graceMs) {
      await worker.stop(graceMs);
      for (const slot of freeSlots) janitor.remove(slot);
      await janitor.drain();
    },
  };
}

function resultRecord(
  job: BatchJob,
  result: InstanceResult,
  worker: string,
  attempt: number,
): BatchResultRecord {
  return {
    runId: job.runId,
    orgId: job.orgId,
    instanceId: job.instance.instance_id,
    modelNameOrPath: job.modelNameOrPath,
    outcome: {
      status: result.status,
      ...(result.exit !== undefined && { exit: result.exit }),
      patch: result.patch,
      costUsd: result.costUsd,
      tokens: result.tokens,
      turns: result.turns,
      wallMs: result.wallMs,
      timings: result.timings,
      ...(result.error !== undefined && { error: result.error }),
      startedAt: result.startedAt,
      endedAt: result.endedAt,
    },
    worker,
    attempt,
  };
}
