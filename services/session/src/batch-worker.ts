import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { createContextPreloader, startBatchWorker } from "@toad/batch";
import type { ModelClient } from "@toad/core";
import { createModelClient, formatProblems, loadLlmConfig } from "@toad/llm";
import {
  BATCH_JOB_KIND,
  BATCH_MAX_ATTEMPTS,
  type BatchJob,
  connectNats,
  IDENTITY_METADATA,
  NatsBatchResults,
  NatsJobQueue,
  routerModelClient,
} from "@toad/platform";
import { RouterServiceDefinition } from "@toad/proto";
import {
  ConfigError,
  intFromEnv,
  type Logger,
  requiredFromEnv,
  stringFromEnv,
  upstreamClient,
} from "@toad/service-kit";
import { Metadata } from "nice-grpc-common";

export interface BatchWorkerProcess {
  /** Stops taking jobs; the instances in hand go back to the queue for another worker. */
  shutdown(): Promise<void>;
}

/**
 * The session image as a batch worker (TOAD_WORKER=batch, the chart's
 * batch-worker Job), configured by the environment:
 * - NATS_URL: the work queue (TOAD_JOBS, kind "batch") and the results stream;
 * - TOAD_BATCH_REPOS: the repository cache (TOAD_BATCH_CLONE_FROM lets it clone a missing one);
 * - models: the router at TOAD_ROUTER_URL, as the session service asks it (the job's org
 *   pays); without it, the model config of packages/llm read here, as the router reads it;
 * - TOAD_BATCH_CONCURRENCY instances at once (default 1), TOAD_BATCH_WORK_DIR,
 *   TOAD_BATCH_ACK_WAIT_MS (how long a silent worker keeps a job; default 60 s),
 *   TOAD_BATCH_SANDBOX (auto | bubblewrap | process).
 */
export async function startBatchWorkerProcess(
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<BatchWorkerProcess> {
  const natsUrl = requiredFromEnv(env, "NATS_URL", "batch workers take their jobs from NATS JetStream");
  const reposDir = requiredFromEnv(
    env,
    "TOAD_BATCH_REPOS",
    "batch workers make workspaces from a repository cache",
  );
  const sandbox = stringFromEnv(env, "TOAD_BATCH_SANDBOX") ?? "auto";
  if (sandbox !== "auto" && sandbox !== "bubblewrap" && sandbox !== "process") {
    throw new ConfigError(`TOAD_BATCH_SANDBOX must be auto, bubblewrap or process (got "${sandbox}")`);
  }
  const closers: (() => Promise<void>)[] = [];
  const modelFor = await modelSource(env, closers);
  const nc = await connectNats({ servers: natsUrl, name: "toad-batch-worker" });
  closers.push(() => nc.drain());
  const jobs = await NatsJobQueue.open<BatchJob>(nc, {
    kind: BATCH_JOB_KIND,
    maxDeliver: BATCH_MAX_ATTEMPTS,
    ackWaitMs: intFromEnv(env, "TOAD_BATCH_ACK_WAIT_MS", 60_000, 100),
  });
  const results = await NatsBatchResults.open(nc);
  const name = stringFromEnv(env, "POD_NAME") ?? `${hostname()}:${process.pid}`;
  const cloneFrom = stringFromEnv(env, "TOAD_BATCH_CLONE_FROM");
  const worker = await startBatchWorker({
    jobs,
    results,
    reposDir,
    ...(cloneFrom !== undefined && { cloneFrom }),
    workRoot: stringFromEnv(env, "TOAD_BATCH_WORK_DIR") ?? join(tmpdir(), `toad-batch-worker-${process.pid}`),
    concurrency: intFromEnv(env, "TOAD_BATCH_CONCURRENCY", 1, 1),
    name,
    modelFor,
    logger: { info: (message) => logger.info(message), warn: (message) => logger.warn(message) },
    sandbox,
    hooks: createContextPreloader(),
    maxAttempts: BATCH_MAX_ATTEMPTS,
  });
  logger.info(`batch worker ${name} taking jobs`);
  return {
    async shutdown() {
      await worker.stop(intFromEnv(env, "TOAD_DRAIN_TIMEOUT_MS", 25_000));
      for (const close of closers.reverse()) await close();
    },
  };
}

/** One model client per job: through the router when there is one, else straight from the model config. */
async function modelSource(
  env: NodeJS.ProcessEnv,
  closers: (() => Promise<void>)[],
): Promise<(job: BatchJob) => ModelClient> {
  const sessionId = (job: BatchJob) => `batch-${job.runId}-${job.instance.instance_id}`;
  const routerUrl = stringFromEnv(env, "TOAD_ROUTER_URL");
  if (routerUrl !== undefined) {
    const { client, channel } = upstreamClient(RouterServiceDefinition, routerUrl);
    closers.push(async () => channel.close());
    return (job) =>
      routerModelClient(client, sessionId(job), () => Metadata({ [IDENTITY_METADATA.org]: job.orgId }));
  }
  const loaded = await loadLlmConfig({ env, homeDir: env.HOME ?? tmpdir() });
  if (!loaded.ok) throw new ConfigError(`the model config has problems:\n${formatProblems(loaded.problems)}`);
  const config = loaded.config;
  return (job) => createModelClient({ config, env, sessionId: sessionId(job) });
}
