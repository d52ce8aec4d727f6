import { contextBackendsFromEnv, createContextService, openContextBackends } from "@toad/platform";
import { ContextServiceDefinition } from "@toad/proto";
import { dataDirFromEnv, jsonLogger, type RunningApp, serviceConfig, startGrpcApp } from "@toad/service-kit";

/**
 * The context service: retrieval and repository maps over the indexes the
 * indexer writes to TOAD_INDEX_DIR (a volume both services mount). Dense
 * vectors come from Qdrant when QDRANT_URL is set (else from memory, built
 * from the index), the code graph from FalkorDB when FALKORDB_URL is set
 * (else from the index's SQLite file). A malformed URL stops the start.
 */
export async function startContextServer(env: NodeJS.ProcessEnv): Promise<RunningApp> {
  const config = serviceConfig(env, "context");
  const backends = openContextBackends(contextBackendsFromEnv(env));
  const implementation = createContextService({
    dataDir: dataDirFromEnv(env, "TOAD_INDEX_DIR", "index"),
    backends,
  });
  return startGrpcApp({
    name: "context",
    port: config.grpcPort,
    metricsPort: config.metricsPort,
    drainTimeoutMs: config.drainTimeoutMs,
    bindings: [{ definition: ContextServiceDefinition, implementation }],
    onClose: () => backends.close(),
    logger: jsonLogger("context", env),
    env,
  });
}
