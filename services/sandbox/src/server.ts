import { connectRedis, createSandboxService, MemoryKeyValueStore, RedisKeyValueStore } from "@toad/platform";
import { SandboxServiceDefinition } from "@toad/proto";
import {
  dataDirFromEnv,
  jsonLogger,
  type RunningApp,
  serviceConfig,
  startGrpcApp,
  stringFromEnv,
} from "@toad/service-kit";

/**
 * The sandbox service with the local driver: git checkouts in
 * TOAD_WORKSPACES_DIR, tools in bubblewrap, workspaces recorded in Redis
 * (REDIS_URL; else in memory). TOAD_SANDBOX_LOCAL_ROOTS (colon-separated
 * absolute paths) allows workspaces on existing folders under them.
 */
export async function startSandboxServer(env: NodeJS.ProcessEnv): Promise<RunningApp> {
  const config = serviceConfig(env, "sandbox");
  const logger = jsonLogger("sandbox", env);
  const redisUrl = stringFromEnv(env, "REDIS_URL");
  const kv = redisUrl ? new RedisKeyValueStore(connectRedis({ url: redisUrl })) : new MemoryKeyValueStore();
  const implementation = createSandboxService({
    kv,
    workspacesDir: dataDirFromEnv(env, "TOAD_WORKSPACES_DIR", "workspaces"),
    allowedLocalRoots: (stringFromEnv(env, "TOAD_SANDBOX_LOCAL_ROOTS") ?? "")
      .split(":")
      .filter((root) => root !== ""),
    logger: { warn: (message) => logger.warn(message) },
  });
  return startGrpcApp({
    name: "sandbox",
    port: config.grpcPort,
    metricsPort: config.metricsPort,
    drainTimeoutMs: config.drainTimeoutMs,
    bindings: [{ definition: SandboxServiceDefinition, implementation }],
    onClose: () => kv.close(),
    logger,
    env,
  });
}
