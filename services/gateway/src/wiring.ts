import {
  connectRedis,
  createAdminService,
  createGatewayService,
  createGuard,
  IdentityDirectory,
  type KeyValueStore,
  MemoryKeyValueStore,
  openBatchService,
  parseOrgLimits,
  RateLimiter,
  RedisKeyValueStore,
  SessionOwnership,
  type SessionUpstream,
  StartAdmission,
  scopedContextService,
  scopedRouterService,
  scopedSessionService,
} from "@toad/platform";
import {
  AdminServiceDefinition,
  BatchServiceDefinition,
  type ContextServiceClient,
  ContextServiceDefinition,
  GatewayServiceDefinition,
  type RouterServiceClient,
  RouterServiceDefinition,
  type SessionServiceClient,
  SessionServiceDefinition,
  SessionServiceRelayDefinition,
} from "@toad/proto";
import {
  intFromEnv,
  rawUpstreamClient,
  requiredFromEnv,
  type ServiceBinding,
  stringFromEnv,
} from "@toad/service-kit";

/**
 * Session starts one gateway replica lets through at once. bench/gateway, 200 sessions started
 * within a second on two cores: p99 added latency per streamed event 228–325 ms with no limit,
 * 34–100 ms at 2 as the machine's speed varies (32–49 ms at 1, with starts twice as slow again);
 * the last of the 200 started after ~3 s instead of ~1.2 s.
 */
const DEFAULT_MAX_STARTS = 2;

export interface GatewayWiring {
  bindings: ServiceBinding[];
  identity: IdentityDirectory;
  /** Session starts in flight and waiting (TOAD_GATEWAY_MAX_STARTS). */
  admission: StartAdmission;
  close(): Promise<void>;
}

/** Upstreams a caller can hand in instead of addresses (`toad serve` wires them in process). */
export interface GatewayParts {
  session?: SessionServiceClient;
  router?: RouterServiceClient;
  context?: ContextServiceClient;
  kv?: KeyValueStore;
}

/**
 * The gateway from the environment: identity, ownership and rate limits in
 * Redis (REDIS_URL; in memory without it, for one replica), upstreams at
 * TOAD_SESSION_URL, TOAD_ROUTER_URL and (optional) TOAD_CONTEXT_URL, the
 * first admin token from TOAD_BOOTSTRAP_TOKEN, per-token limits of
 * TOAD_RATE_LIMIT requests per TOAD_RATE_WINDOW_MS, and at most
 * TOAD_GATEWAY_MAX_STARTS session starts at once (0: no limit).
 */
export async function wireGateway(env: NodeJS.ProcessEnv, parts: GatewayParts = {}): Promise<GatewayWiring> {
  const closers: (() => Promise<void>)[] = [];
  const upstream = <C>(
    given: C | undefined,
    definition: Parameters<typeof rawUpstreamClient>[0],
    name: string,
    why: string,
  ) => {
    if (given) return given;
    // Straight on grpc-js: the relay pays for no client middleware per call or per streamed event.
    const { client, channel } = rawUpstreamClient(definition, requiredFromEnv(env, name, why));
    closers.push(async () => channel.close());
    return client as C;
  };
  // Events are relayed in their wire form: the gateway checks the call, never looks inside an event.
  const session = upstream<SessionUpstream>(
    parts.session,
    SessionServiceRelayDefinition,
    "TOAD_SESSION_URL",
    "the gateway serves sessions",
  );
  const router = upstream<RouterServiceClient>(
    parts.router,
    RouterServiceDefinition,
    "TOAD_ROUTER_URL",
    "the gateway serves models and costs",
  );
  const contextUrl = stringFromEnv(env, "TOAD_CONTEXT_URL");
  const context =
    parts.context ??
    (contextUrl
      ? upstream<ContextServiceClient>(undefined, ContextServiceDefinition, "TOAD_CONTEXT_URL", "")
      : undefined);

  const redisUrl = stringFromEnv(env, "REDIS_URL");
  const kv =
    parts.kv ??
    (redisUrl ? new RedisKeyValueStore(connectRedis({ url: redisUrl })) : new MemoryKeyValueStore());
  if (!parts.kv) closers.push(() => kv.close());

  const identity = new IdentityDirectory(kv);
  const bootstrap = stringFromEnv(env, "TOAD_BOOTSTRAP_TOKEN");
  if (bootstrap) await identity.ensureBootstrapToken(bootstrap);
  const limiter = new RateLimiter(kv, {
    limit: intFromEnv(env, "TOAD_RATE_LIMIT", 600, 1),
    windowMs: intFromEnv(env, "TOAD_RATE_WINDOW_MS", 60_000, 1),
  });
  const guard = createGuard(identity, limiter);
  const ownership = new SessionOwnership(kv);
  const admission = new StartAdmission(intFromEnv(env, "TOAD_GATEWAY_MAX_STARTS", DEFAULT_MAX_STARTS));
  const bindings: ServiceBinding[] = [
    { definition: GatewayServiceDefinition, implementation: createGatewayService({ guard, identity }) },
    { definition: AdminServiceDefinition, implementation: createAdminService({ guard, identity }) },
    {
      definition: SessionServiceDefinition,
      implementation: scopedSessionService({ guard, ownership, upstream: session, admission }),
      followers: ["resume"],
    },
    {
      definition: RouterServiceDefinition,
      implementation: scopedRouterService({ guard, ownership, upstream: router }),
    },
    {
      definition: ContextServiceDefinition,
      implementation: scopedContextService({ guard, upstream: context }),
    },
  ];
  // Batch runs (`toad batch run --gateway`): jobs on NATS, at most TOAD_BATCH_ORG_LIMIT instances per org at once.
  const batch = await openBatchService({
    guard,
    kv,
    natsUrl: stringFromEnv(env, "NATS_URL"),
    limits: {
      orgLimit: intFromEnv(env, "TOAD_BATCH_ORG_LIMIT", 16, 1),
      perOrg: parseOrgLimits(stringFromEnv(env, "TOAD_BATCH_ORG_LIMITS")),
    },
  });
  closers.push(batch.close);
  bindings.push({ definition: BatchServiceDefinition, implementation: batch.service });
  return {
    bindings,
    identity,
    admission,
    close: async () => {
      for (const close of closers.reverse()) await close();
    },
  };
}
