import type * as pb from "@toad/proto";
import type { CallContext } from "nice-grpc-common";
import { failedPrecondition, notFound, unimplemented } from "../errors.js";
import type { Guard } from "../gateway/guard.js";
import type { JobQueue } from "../jobs/port.js";
import type { KeyValueStore } from "../kv/port.js";
import { AsyncQueue } from "../util/async-queue.js";
import type { OrgAdmission } from "./admission.js";
import { checkRunId, jobsFromRequest, resultToProto } from "./convert.js";
import type { NatsBatchResults } from "./nats-results.js";
import { type BatchJob, batchJobId } from "./types.js";

export interface BatchServiceDeps {
  guard: Guard;
  /** Which org owns each run, and its instance ids. */
  kv: KeyValueStore;
  jobs: Pick<JobQueue<BatchJob>, "enqueue">;
  results: Pick<NatsBatchResults, "finished" | "follow">;
  admission: OrgAdmission;
}

const ownerKey = (runId: string) => `batch-run-org:${runId}`;
const instancesKey = (runId: string) => `batch-run-instances:${runId}`;

/**
 * BatchService as the gateway serves it: a run belongs to the org that
 * submitted it first; to every other org it reads as not found. Submitting
 * queues the instances without a result, at most the org's limit in flight
 * (the rest wait in the call), and streams the results back.
 */
export function createBatchService(deps: BatchServiceDeps): pb.BatchServiceImplementation {
  const { guard, kv } = deps;

  async function ownedRun(context: CallContext, runId: string): Promise<string> {
    const principal = await guard.authorize(context, "sessions");
    checkRunId(runId);
    if ((await kv.get(ownerKey(runId))) !== principal.orgId) {
      throw notFound(`batch run ${JSON.stringify(runId)} not found`);
    }
    return principal.orgId;
  }

  return {
    async *submitRun(request, context) {
      const principal = await guard.authorize(context, "sessions");
      const jobs = jobsFromRequest(request, principal.orgId);
      const runId = request.runId;
      if (!(await kv.setIfAbsent(ownerKey(runId), principal.orgId))) {
        if ((await kv.get(ownerKey(runId))) !== principal.orgId) {
          throw failedPrecondition(`run id ${JSON.stringify(runId)} is taken; choose another`);
        }
      }
      for (const job of jobs) await kv.addToSet(instancesKey(runId), job.instance.instance_id);
      yield* runUpdates(deps, principal.orgId, runId, jobs, context.signal);
    },

    async *watchRun(request, context) {
      const orgId = await ownedRun(context, request.runId);
      const ids = await kv.members(instancesKey(request.runId));
      const wanted = ids.map((id) => ({ instance: { instance_id: id } }));
      yield* runUpdates(deps, orgId, request.runId, wanted, context.signal, false);
    },
  };
}

/** A BatchService for a gateway without NATS: every call says why it cannot serve. */
export function unavailableBatchService(guard: Guard): pb.BatchServiceImplementation {
  const refuse = async (context: CallContext): Promise<never> => {
    await guard.authorize(context, "sessions");
    throw unimplemented("this deployment runs no batch workers (the gateway has no NATS_URL)");
  };
  return {
    // biome-ignore lint/correctness/useYield: refused before any update
    async *submitRun(_request, context) {
      await refuse(context);
    },
    // biome-ignore lint/correctness/useYield: refused before any update
    async *watchRun(_request, context) {
      await refuse(context);
    },
  };
}

/**
 * The run's results for `wanted` (stored ones first, then live) until each
 * has one; with `admit`, the wanted instances without a result are queued
 * meanwhile, each holding one of the org's slots until its result arrives.
 */
async function* runUpdates(
  deps: BatchServiceDeps,
  orgId: string,
  runId: string,
  wanted: readonly (Pick<BatchJob, "instance"> | { instance: { instance_id: string } })[],
  callSignal: AbortSignal,
  admit = true,
): AsyncGenerator<pb.BatchRunUpdate> {
  const ids = new Set(wanted.map((item) => item.instance.instance_id));
  if (ids.size === 0) return;
  const stop = new AbortController();
  const signal = AbortSignal.any([callSignal, stop.signal]);
  const updates = new AsyncQueue<pb.BatchRunUpdate>();
  const held = new Map<string, () => void>();
  const seen = new Set<string>();
  const follower = (async () => {
    for await (const record of deps.results.follow(orgId, runId, signal)) {
      if (!ids.has(record.instanceId) || seen.has(record.instanceId)) continue;
      seen.add(record.instanceId);
      held.get(record.instanceId)?.();
      updates.push({ update: { $case: "result", value: resultToProto(record) } });
      if (seen.size === ids.size) break;
    }
    updates.end();
  })().catch((error: unknown) => updates.fail(error));
  const admission = admit
    ? (async () => {
        const finished = await deps.results.finished(orgId, runId);
        for (const job of wanted as BatchJob[]) {
          const id = job.instance.instance_id;
          if (finished.has(id) || seen.has(id)) continue;
          const release = await deps.admission.acquire(orgId, signal);
          if (seen.has(id)) {
            release();
            continue;
          }
          held.set(id, release);
          await deps.jobs.enqueue(job, { jobId: batchJobId(runId, id) });
          updates.push({ update: { $case: "admitted", value: { instanceId: id } } });
        }
      })().catch((error: unknown) => {
        if (!signal.aborted) updates.fail(error);
      })
    : Promise.resolve();
  try {
    yield* updates;
  } finally {
    stop.abort();
    await Promise.all([follower, admission]);
    // A caller gone before its results frees the org's slots; the queued jobs still run.
    for (const release of held.values()) release();
  }
}
