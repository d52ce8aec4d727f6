import { findRepositoryRoot } from "@toad/agent";
import {
  connectNatsBus,
  connectRedis,
  createSessionService,
  IDENTITY_METADATA,
  type KeyValueStore,
  MemoryKeyValueStore,
  MemorySessionBus,
  type Redis,
  RedisKeyValueStore,
  RedisSessionStore,
  RunRecords,
  routerModelClient,
  type SessionBus,
  type SessionService,
  SessionSettingsStore,
} from "@toad/platform";
import { type RouterServiceClient, RouterServiceDefinition } from "@toad/proto";
import {
  ConfigError,
  intFromEnv,
  rawUpstreamClient,
  requiredFromEnv,
  stringFromEnv,
} from "@toad/service-kit";
import { localTools } from "@toad/session";
import { openSqliteStore, type SessionStore, storeLocation } from "@toad/store";
import { Metadata } from "nice-grpc-common";

/** Metadata a run's model requests carry to the router: who pays, and the trace. */
const FORWARDED = [IDENTITY_METADATA.org, IDENTITY_METADATA.user, "traceparent", "tracestate"] as const;

export interface SessionWiring {
  service: SessionService;
  store: SessionStore;
  close(): Promise<void>;
}

/** Parts a caller can hand in instead of having them built from the environment (`toad serve`, tests). */
export interface SessionParts {
  router?: Pick<RouterServiceClient, "complete">;
  store?: SessionStore;
  kv?: KeyValueStore;
  bus?: SessionBus;
}

/**
 * The session service from the environment:
 * - store: Redis when REDIS_URL is set (any number of replicas), else the
 *   SQLite file of TOAD_DATA_DIR (one replica);
 * - bus: NATS JetStream when NATS_URL is set, else in process (one replica);
 * - models: the router service at TOAD_ROUTER_URL;
 * - tools: on the client by default; TOAD_SERVER_TOOLS=local also allows
 *   sessions whose tools run on this host (single-box `toad serve` only).
 */
export async function wireSession(env: NodeJS.ProcessEnv, parts: SessionParts = {}): Promise<SessionWiring> {
  const closers: (() => Promise<void>)[] = [];
  const redisUrl = stringFromEnv(env, "REDIS_URL");
  const natsUrl = stringFromEnv(env, "NATS_URL");

  const router =
    parts.router ??
    (() => {
      // Straight on grpc-js: no client middleware per model turn or per streamed delta.
      const { client, channel } = rawUpstreamClient(
        RouterServiceDefinition,
        requiredFromEnv(env, "TOAD_ROUTER_URL", "the session service asks the router for every model turn"),
      );
      closers.push(async () => channel.close());
      return client;
    })();

  const redis = redisUrl && (!parts.store || !parts.kv) ? connectRedis({ url: redisUrl }) : undefined;
  if (redis) closers.push(async () => void (await redis.quit()));
  const store = parts.store ?? (await openStore(env, redis));
  if (!parts.store) closers.push(() => store.close());
  const kv = parts.kv ?? (redis ? new RedisKeyValueStore(redis, false) : new MemoryKeyValueStore());
  const bus = parts.bus ?? (await openBus(natsUrl));
  if (!parts.bus) closers.push(() => bus.close());

  const serverTools = stringFromEnv(env, "TOAD_SERVER_TOOLS") ?? "off";
  if (serverTools !== "off" && serverTools !== "local") {
    throw new ConfigError(`TOAD_SERVER_TOOLS must be "off" or "local" (got "${serverTools}")`);
  }
  const logger = {
    warn: (message: string) =>
      process.stderr.write(`${JSON.stringify({ level: "warn", service: "session", message })}\n`),
  };

  const service = createSessionService({
    store,
    settings: new SessionSettingsStore(kv),
    bus,
    modelFor: (sessionId, callMetadata) =>
      routerModelClient(router, sessionId, () => {
        const metadata = Metadata();
        for (const key of FORWARDED) {
          const value = callMetadata.get(key);
          if (value !== undefined) metadata.set(key, value);
        }
        return metadata;
      }),
    ...(serverTools === "local" && {
      serverTools: async (session, beforeWrite) =>
        localTools({ workspaceRoot: await findRepositoryRoot(session.cwd), beforeWrite, logger }),
    }),
    headersFor: (callMetadata): Record<string, string> => {
      const traceparent = callMetadata.get("traceparent");
      return typeof traceparent === "string" ? { traceparent } : {};
    },
    // On the cluster's Redis, begin and end of a run are one script each.
    runRecords: new RunRecords(kv, parts.kv === undefined ? redis : undefined),
    clientToolTimeoutMs: intFromEnv(env, "TOAD_CLIENT_TOOL_TIMEOUT_MS", 600_000, 1),
    logger,
  });
  return {
    service,
    store,
    close: async () => {
      for (const close of closers.reverse()) await close();
    },
  };
}

async function openStore(env: NodeJS.ProcessEnv, redis: Redis | undefined): Promise<SessionStore> {
  if (redis) return new RedisSessionStore(redis, { ownsConnection: false });
  return openSqliteStore({ path: storeLocation(env).dbPath });
}

async function openBus(natsUrl: string | undefined): Promise<SessionBus> {
  if (!natsUrl) return new MemorySessionBus();
  return connectNatsBus({ servers: natsUrl, name: "toad-session" });
}
