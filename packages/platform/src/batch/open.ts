import type * as pb from "@toad/proto";
import { connectNats } from "../bus/nats.js";
import type { Guard } from "../gateway/guard.js";
import { NatsJobQueue } from "../jobs/nats-jobs.js";
import type { KeyValueStore } from "../kv/port.js";
import { OrgAdmission } from "./admission.js";
import { createBatchService, unavailableBatchService } from "./batch-service.js";
import { NatsBatchResults } from "./nats-results.js";
import { BATCH_JOB_KIND, BATCH_MAX_ATTEMPTS, type BatchJob } from "./types.js";

export interface BatchLimits {
  /** Instances in flight per org unless `perOrg` says otherwise. */
  orgLimit: number;
  perOrg?: Readonly<Record<string, number>>;
}

/** `org=4,other=16`: per-org limits from one setting (TOAD_BATCH_ORG_LIMITS). */
export function parseOrgLimits(text: string | undefined): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const entry of (text ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [org = "", value = ""] = entry.split("=").map((part) => part.trim());
    const limit = Number(value);
    if (org === "" || !Number.isInteger(limit) || limit < 1) {
      throw new Error(`per-org batch limits are "org=N" with N >= 1, comma-separated; got "${entry}"`);
    }
    limits[org] = limit;
  }
  return limits;
}

/**
 * The gateway's BatchService: on NATS when `natsUrl` is set (jobs on
 * TOAD_JOBS, results on TOAD_BATCH_RESULTS), else one that says the
 * deployment runs no batch workers.
 */
export async function openBatchService(deps: {
  guard: Guard;
  kv: KeyValueStore;
  natsUrl: string | undefined;
  limits: BatchLimits;
}): Promise<{ service: pb.BatchServiceImplementation; close(): Promise<void> }> {
  if (deps.natsUrl === undefined)
    return { service: unavailableBatchService(deps.guard), close: async () => {} };
  const nc = await connectNats({ servers: deps.natsUrl, name: "toad-gateway-batch" });
  const jobs = await NatsJobQueue.open<BatchJob>(nc, {
    kind: BATCH_JOB_KIND,
    maxDeliver: BATCH_MAX_ATTEMPTS,
  });
  const results = await NatsBatchResults.open(nc);
  const { orgLimit, perOrg = {} } = deps.limits;
  const admission = new OrgAdmission((orgId) => perOrg[orgId] ?? orgLimit);
  return {
    service: createBatchService({ guard: deps.guard, kv: deps.kv, jobs, results, admission }),
    close: async () => {
      await nc.drain();
    },
  };
}
