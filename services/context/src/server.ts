import { createContextService } from "@toad/platform";
import { ContextServiceDefinition } from "@toad/proto";
import { dataDirFromEnv, jsonLogger, type RunningApp, serviceConfig, startGrpcApp } from "@toad/service-kit";

/**
 * The context service: retrieval and repository maps over the indexes the
 * indexer writes to TOAD_INDEX_DIR (a volume both services mount).
 */
export async function startContextServer(env: NodeJS.ProcessEnv): Promise<RunningApp> {
  const config = serviceConfig(env, "context");
  const implementation = createContextService({ dataDir: dataDirFromEnv(env, "TOAD_INDEX_DIR", "index") });
  return startGrpcApp({
    name: "context",
    port: config.grpcPort,
    metricsPort: config.metricsPort,
    drainTimeoutMs: config.drainTimeoutMs,
    bindings: [{ definition: ContextServiceDefinition, implementation }],
    logger: jsonLogger("context", env),
    env,
  });
}
