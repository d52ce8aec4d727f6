import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { newToken, SqliteKeyValueStore } from "@toad/platform";
import { inProcessClient, RouterServiceDefinition, SessionServiceDefinition } from "@toad/proto";
import { wireGateway } from "@toad/service-gateway";
import { jsonLogger, serviceConfig, startGrpcApp } from "@toad/service-kit";
import { wireRouter } from "@toad/service-router";
import { recoverPeriodically, wireSession } from "@toad/service-session";
import { storeLocation } from "@toad/store";

export interface TeamServer {
  address: string;
  port: number;
  metricsPort: number | undefined;
  /** Set when this start created the admin token (printed once). */
  newAdminToken: string | undefined;
  shutdown(): Promise<void>;
}

/**
 * `toad serve`: the router, the session service and the gateway in one
 * process. The gateway is the only port; it reaches the other two through
 * in-process clients (the same objects the cluster serves over gRPC, with the
 * same normalisation and status codes). Stores come from the environment:
 * Redis and NATS when set, else the embedded SQLite store and in-process bus.
 */
export async function startTeamServer(
  env: NodeJS.ProcessEnv,
  options: { host: string },
): Promise<TeamServer> {
  const { token, created } = await adminToken(env);
  const serverEnv = { ...env, TOAD_BOOTSTRAP_TOKEN: token };
  // Without Redis, tokens, ownership, costs and run records go in a SQLite file next to the sessions.
  const kv = env.REDIS_URL
    ? undefined
    : new SqliteKeyValueStore(join(dirname(storeLocation(serverEnv).dbPath), "serve-state.db"));
  const router = await wireRouter(serverEnv, kv);
  const routerClient = inProcessClient(RouterServiceDefinition, router.implementation);
  const session = await wireSession(serverEnv, { router: routerClient, ...(kv && { kv }) });
  const gateway = await wireGateway(serverEnv, {
    session: inProcessClient(SessionServiceDefinition, session.service),
    router: routerClient,
    ...(kv && { kv }),
  });
  const logger = jsonLogger("toad-serve", { TOAD_LOG_LEVEL: "warn", ...serverEnv });
  const recovery = recoverPeriodically(session.service, 10_000, logger);
  const config = serviceConfig(serverEnv, "gateway");
  const app = await startGrpcApp({
    name: "toad-serve",
    port: config.grpcPort,
    host: options.host,
    metricsPort: config.metricsPort,
    drainTimeoutMs: config.drainTimeoutMs,
    bindings: gateway.bindings,
    onDrain: async (deadlineMs) => {
      recovery.stop();
      await session.service.drain(deadlineMs);
    },
    onClose: async () => {
      await gateway.close();
      await session.close();
      await router.close();
      await kv?.close();
    },
    logger,
    env: serverEnv,
  });
  return {
    address: `${options.host}:${app.port}`,
    port: app.port,
    metricsPort: app.metricsPort,
    newAdminToken: created ? token : undefined,
    shutdown: () => app.shutdown(),
  };
}

/**
 * The admin token: TOAD_BOOTSTRAP_TOKEN when set; else the one saved next to
 * the session store by an earlier start (so it survives restarts, even with
 * tokens kept in memory); else a new one, saved (mode 0600) and shown once.
 */
async function adminToken(env: NodeJS.ProcessEnv): Promise<{ token: string; created: boolean }> {
  if (env.TOAD_BOOTSTRAP_TOKEN) return { token: env.TOAD_BOOTSTRAP_TOKEN, created: false };
  const file = join(dirname(storeLocation(env).dbPath), "serve-admin-token");
  if (existsSync(file)) return { token: (await readFile(file, "utf8")).trim(), created: false };
  const { token } = newToken();
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return { token, created: true };
}
