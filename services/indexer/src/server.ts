import {
  connectNats,
  connectRedis,
  contextBackendsFromEnv,
  createIndexerService,
  type IndexJob,
  type JobQueue,
  MemoryJobQueue,
  MemoryKeyValueStore,
  NatsJobQueue,
  openContextBackends,
  RedisKeyValueStore,
} from "@toad/platform";
import { IndexerServiceDefinition } from "@toad/proto";
import {
  dataDirFromEnv,
  intFromEnv,
  jsonLogger,
  type RunningApp,
  serviceConfig,
  startGrpcApp,
  stringFromEnv,
} from "@toad/service-kit";

/**
 * The indexer: IndexRepo puts a job on the durable queue (NATS JetStream
 * when NATS_URL is set, else in process), this process's workers
 * (TOAD_INDEX_WORKERS, default 1) take jobs from it, status lives in Redis
 * (REDIS_URL; else in memory), indexes in TOAD_INDEX_DIR. After each run
 * the code graph goes to FalkorDB (FALKORDB_URL; else the index's SQLite
 * file) and chunk vectors to Qdrant (QDRANT_URL; else the context service
 * builds them in memory). A malformed URL stops the start.
 */
export async function startIndexerServer(env: NodeJS.ProcessEnv): Promise<RunningApp> {
  const config = serviceConfig(env, "indexer");
  // Checked first: a bad URL fails before any connection is opened.
  const backends = openContextBackends(contextBackendsFromEnv(env));
  const redisUrl = stringFromEnv(env, "REDIS_URL");
  const natsUrl = stringFromEnv(env, "NATS_URL");
  const kv = redisUrl ? new RedisKeyValueStore(connectRedis({ url: redisUrl })) : new MemoryKeyValueStore();
  const nc = natsUrl ? await connectNats({ servers: natsUrl, name: "toad-indexer" }) : undefined;
  const queue: JobQueue<IndexJob> = nc
    ? await NatsJobQueue.open<IndexJob>(nc, {
        kind: "index",
        ackWaitMs: intFromEnv(env, "TOAD_INDEX_ACK_WAIT_MS", 30_000, 100),
      })
    : new MemoryJobQueue<IndexJob>();
  const service = createIndexerService({
    kv,
    queue,
    dataDir: dataDirFromEnv(env, "TOAD_INDEX_DIR", "index"),
    backends,
  });
  const worker = await service.startWorker(intFromEnv(env, "TOAD_INDEX_WORKERS", 1, 0) || 1);
  return startGrpcApp({
    name: "indexer",
    port: config.grpcPort,
    metricsPort: config.metricsPort,
    drainTimeoutMs: config.drainTimeoutMs,
    bindings: [{ definition: IndexerServiceDefinition, implementation: service }],
    // A job still running at the deadline is not acknowledged: another replica gets it.
    onDrain: (deadlineMs) => worker.stop(deadlineMs),
    onClose: async () => {
      await nc?.drain();
      await kv.close();
      await backends.close();
    },
    logger: jsonLogger("indexer", env),
    env,
  });
}
