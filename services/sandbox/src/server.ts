import { connectRedis, createSandboxService, MemoryKeyValueStore, RedisKeyValueStore } from "@toad/platform";
import { SandboxServiceDefinition } from "@toad/proto";
import { createSandboxPods } from "@toad/sandbox";
import {
  ConfigError,
  dataDirFromEnv,
  intFromEnv,
  jsonLogger,
  type RunningApp,
  serviceConfig,
  startGrpcApp,
  stringFromEnv,
} from "@toad/service-kit";

/** TOAD_SANDBOX_DRIVER: where workspaces live. */
export type SandboxDriverChoice = "local" | "k8s";

export function sandboxDriverFromEnv(env: NodeJS.ProcessEnv): SandboxDriverChoice {
  const value = stringFromEnv(env, "TOAD_SANDBOX_DRIVER") ?? "local";
  if (value !== "local" && value !== "k8s") {
    throw new ConfigError(`TOAD_SANDBOX_DRIVER must be "local" or "k8s" (got ${JSON.stringify(value)})`);
  }
  return value;
}

/**
 * The sandbox service. TOAD_SANDBOX_DRIVER=local (the default): git checkouts
 * in TOAD_WORKSPACES_DIR, tools in bubblewrap; TOAD_SANDBOX_LOCAL_ROOTS
 * (colon-separated absolute paths) allows workspaces on existing folders
 * under them. TOAD_SANDBOX_DRIVER=k8s: one job pod per workspace
 * (TOAD_SANDBOX_NAMESPACE, _POD_TEMPLATE, _IMAGE, _TTL_SECONDS, ...; see
 * services/README.md) and a janitor deleting expired pods every
 * TOAD_SANDBOX_JANITOR_SECONDS. Workspaces are recorded in Redis (REDIS_URL;
 * else in memory).
 */
export async function startSandboxServer(env: NodeJS.ProcessEnv): Promise<RunningApp> {
  const config = serviceConfig(env, "sandbox");
  const logger = jsonLogger("sandbox", env);
  const driver = sandboxDriverFromEnv(env);
  // The pod driver's settings are checked (and the API client built) before anything listens.
  const k8s = driver === "k8s" ? await createSandboxPods(env) : undefined;
  const janitor = k8s?.pods.startJanitor(
    intFromEnv(env, "TOAD_SANDBOX_JANITOR_SECONDS", 60, 1) * 1000,
    (error) =>
      logger.warn("sandbox janitor: sweep failed", {
        error: error instanceof Error ? error.message : String(error),
      }),
  );
  const redisUrl = stringFromEnv(env, "REDIS_URL");
  const kv = redisUrl ? new RedisKeyValueStore(connectRedis({ url: redisUrl })) : new MemoryKeyValueStore();
  const implementation = createSandboxService({
    kv,
    workspacesDir: dataDirFromEnv(env, "TOAD_WORKSPACES_DIR", "workspaces"),
    allowedLocalRoots: (stringFromEnv(env, "TOAD_SANDBOX_LOCAL_ROOTS") ?? "")
      .split(":")
      .filter((root) => root !== ""),
    logger: { warn: (message) => logger.warn(message) },
    ...(k8s && { pods: k8s.pods }),
  });
  return startGrpcApp({
    name: "sandbox",
    port: config.grpcPort,
    metricsPort: config.metricsPort,
    drainTimeoutMs: config.drainTimeoutMs,
    bindings: [{ definition: SandboxServiceDefinition, implementation }],
    onClose: async () => {
      janitor?.stop();
      await kv.close();
    },
    logger,
    env,
  });
}
