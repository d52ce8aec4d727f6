import { mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectRedis, IdentityDirectory, RedisKeyValueStore } from "@toad/platform";
import type { RunningApp } from "@toad/service-kit";
import { startRouterServer } from "@toad/service-router";
import { startSessionServer } from "@toad/service-session";
import { type MockLlmOptions, type MockLlmServer, startMockLlm } from "@toad/testkit";
import {
  startNats,
  startRedis,
  type TestServer,
} from "../../../../packages/platform/test/support/servers.js";
import { startGatewayServer } from "../../src/index.js";

export const MODEL = "claude-sonnet-4-5";

export interface Cluster {
  llm: MockLlmServer;
  redis: TestServer;
  nats: TestServer | undefined;
  router: RunningApp;
  session: RunningApp;
  gateway: RunningApp;
  gatewayAddress: string;
  identity: IdentityDirectory;
  bootstrapToken: string;
  env: NodeJS.ProcessEnv;
  dir: string;
  /** Another gateway on the same stores and upstreams, with its own settings. */
  extraGateway(env: NodeJS.ProcessEnv): Promise<RunningApp>;
  /** Another session-service replica on the same Redis, NATS and router. */
  extraSession(): Promise<RunningApp>;
  stop(): Promise<void>;
}

export const BOOTSTRAP_TOKEN = `toad_0123456789abcdef_${"A".repeat(43)}`;

/**
 * Router, session service and gateway as NestJS gRPC apps in this process,
 * on free ports, against a private Redis (and NATS when asked) and the
 * scripted model server: the cluster wiring, minus Kubernetes.
 */
export async function startCluster(options: {
  llm: MockLlmOptions;
  nats?: boolean;
  env?: NodeJS.ProcessEnv;
}): Promise<Cluster> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), "toad-cluster-")));
  const llm = await startMockLlm(options.llm);
  const redis = await startRedis();
  const nats = options.nats ? await startNats() : undefined;
  const base: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: join(dir, "home"),
    TOAD_CONFIG_HOME: join(dir, "config"),
    TOAD_DATA_DIR: join(dir, "data"),
    ANTHROPIC_API_KEY: "sk-ant-test",
    ANTHROPIC_BASE_URL: llm.url,
    REDIS_URL: redis.url,
    TOAD_GRPC_PORT: "0",
    TOAD_METRICS_PORT: "0",
    TOAD_DRAIN_TIMEOUT_MS: "2000",
    TOAD_LOG_LEVEL: "error",
    ...(nats && { NATS_URL: nats.url }),
    ...options.env,
  };
  const router = await startRouterServer(base);
  const sessionEnv = { ...base, TOAD_ROUTER_URL: `127.0.0.1:${router.port}` };
  const session = await startSessionServer(sessionEnv);
  const upstreams = {
    TOAD_SESSION_URL: `127.0.0.1:${session.port}`,
    TOAD_ROUTER_URL: `127.0.0.1:${router.port}`,
    TOAD_BOOTSTRAP_TOKEN: BOOTSTRAP_TOKEN,
  };
  const gateway = await startGatewayServer({ ...base, ...upstreams });
  const extra: RunningApp[] = [];
  const identityRedis = connectRedis({ url: redis.url });
  return {
    llm,
    redis,
    nats,
    router,
    session,
    gateway,
    gatewayAddress: `127.0.0.1:${gateway.port}`,
    identity: new IdentityDirectory(new RedisKeyValueStore(identityRedis)),
    bootstrapToken: BOOTSTRAP_TOKEN,
    env: base,
    dir,
    async extraGateway(env) {
      const app = await startGatewayServer({ ...base, ...upstreams, ...env });
      extra.push(app);
      return app;
    },
    async extraSession() {
      const app = await startSessionServer(sessionEnv);
      extra.push(app);
      return app;
    },
    async stop() {
      for (const app of [...extra, gateway, session, router]) await app.shutdown();
      await identityRedis.quit();
      await llm.close();
      await nats?.stop();
      await redis.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
