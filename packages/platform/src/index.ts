// @toad/platform: the cluster's domain. The service implementations the
// NestJS shells in services/ serve (and the embedded wiring calls in process),
// auth and org scoping, and the adapters to Redis and NATS JetStream. No
// framework: services/ and cli/ are the adapters.

export { createAdminService } from "./admin/admin-service.js";
export {
  type AuthFailure,
  IdentityDirectory,
  IdentityError,
  type Org,
  type TokenRecord,
  type User,
} from "./auth/identity.js";
export {
  ALL_SCOPES,
  hasScope,
  IDENTITY_METADATA,
  LOCAL_ORG,
  type Principal,
  SCOPES,
  type Scope,
} from "./auth/principal.js";
export { type RateDecision, type RateLimit, RateLimiter } from "./auth/rate-limit.js";
export { hashSecret, newToken, parseToken } from "./auth/tokens.js";
export * from "./batch/index.js";
export { MemorySessionBus } from "./bus/memory-bus.js";
export { connectNats, type NatsOptions, subjectToken } from "./bus/nats.js";
export { connectNatsBus, EVENTS_STREAM, type NatsBusOptions, NatsSessionBus } from "./bus/nats-bus.js";
export type * from "./bus/port.js";
export { decisions, permissionModes, type ToolLocation, tiers, toolLocations } from "./convert/enums.js";
export {
  completeRequestFromModelRequest,
  messageFromProto,
  messageToProto,
  modelRequestFromComplete,
} from "./convert/messages.js";
export * from "./errors.js";
export { createGatewayService } from "./gateway/gateway-service.js";
export { createGuard, type Guard, relay, upstreamMetadata } from "./gateway/guard.js";
export { SessionOwnership } from "./gateway/ownership.js";
export { scopedContextService, scopedRouterService } from "./gateway/scoped-others.js";
export {
  type RelayedEvent,
  type ScopedSessionImplementation,
  type SessionUpstream,
  scopedSessionService,
} from "./gateway/scoped-session.js";
export { StartAdmission, type StartKind } from "./gateway/start-admission.js";
export { MemoryJobQueue } from "./jobs/memory-jobs.js";
export { JOBS_STREAM, NatsJobQueue, type NatsJobQueueOptions } from "./jobs/nats-jobs.js";
export type * from "./jobs/port.js";
export { MemoryKeyValueStore } from "./kv/memory-kv.js";
export type { KeyValueStore } from "./kv/port.js";
export { RedisKeyValueStore } from "./kv/redis-kv.js";
export { SqliteKeyValueStore } from "./kv/sqlite-kv.js";
export { connectRedis, type Redis, type RedisOptions } from "./redis/connect.js";
export { RedisSessionStore, type RedisStoreOptions } from "./redis/redis-session-store.js";
export { CostBook, utcDay } from "./router/costs.js";
export { routerModelClient } from "./router/router-model-client.js";
export { createRouterService, type RouterServiceDeps } from "./router/router-service.js";
export { CLIENT_TOOL_RULES, clientTools } from "./session/client-tools.js";
export { delegationFrame, followSession } from "./session/resume.js";
export { type RunRecord, RunRecords, runHadEnded } from "./session/run-records.js";
export {
  createSessionService,
  type SessionService,
  type SessionServiceDeps,
} from "./session/session-service.js";
export { DEFAULT_SETTINGS, type SessionSettings, SessionSettingsStore } from "./session/settings.js";
export {
  type ContextBackendConfig,
  ContextBackendError,
  type ContextBackends,
  contextBackendsFromEnv,
  openContextBackends,
} from "./shells/context-backends.js";
export { createContextService } from "./shells/context-service.js";
export {
  createIndexerService,
  type IndexerDeps,
  type IndexJob,
  indexPath,
} from "./shells/indexer-service.js";
export { createSandboxService, type SandboxServiceDeps } from "./shells/sandbox-service.js";
export { AsyncQueue } from "./util/async-queue.js";
