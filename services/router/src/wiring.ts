import { homedir } from "node:os";
import { createModelClient, formatProblems, loadLlmConfig } from "@toad/llm";
import {
  CostBook,
  connectRedis,
  createRouterService,
  type KeyValueStore,
  MemoryKeyValueStore,
  RedisKeyValueStore,
} from "@toad/platform";
import type { RouterServiceImplementation } from "@toad/proto";
import { ConfigError, stringFromEnv } from "@toad/service-kit";

export interface RouterWiring {
  implementation: RouterServiceImplementation;
  close(): Promise<void>;
}

/**
 * The router from the environment: the model config of packages/llm
 * (ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL, OPENAI_API_KEY / OPENAI_BASE_URL,
 * $TOAD_CONFIG_HOME/config.json) and the cost counters in Redis (REDIS_URL;
 * in memory without it).
 */
export async function wireRouter(env: NodeJS.ProcessEnv, kv?: KeyValueStore): Promise<RouterWiring> {
  const loaded = await loadLlmConfig({ env, homeDir: env.HOME ?? homedir() });
  if (!loaded.ok) throw new ConfigError(`the model config has problems:\n${formatProblems(loaded.problems)}`);
  const config = loaded.config;
  const redisUrl = stringFromEnv(env, "REDIS_URL");
  const store =
    kv ?? (redisUrl ? new RedisKeyValueStore(connectRedis({ url: redisUrl })) : new MemoryKeyValueStore());
  const implementation = createRouterService({
    config,
    // One client per request: its spend ledger lives as long as the request. Deltas that
    // arrive together go out as one gRPC message (a router behind on its reads catches up).
    modelFor: (sessionId) => createModelClient({ config, env, sessionId, mergeTextDeltas: true }),
    costs: new CostBook(store),
  });
  return { implementation, close: () => (kv ? Promise.resolve() : store.close()) };
}
