// The platform under test, every piece its own process: private Redis (AOF,
// fsync before every reply unless `durable` is false) and NATS, the scripted
// model server, and the router, session, context, indexer, sandbox and gateway
// services on free ports; plus an identity directory on the same Redis to
// issue the clients' tokens. `stops` holds what to stop, in start order.

import { join } from "node:path";
import { connectRedis, IdentityDirectory, RedisKeyValueStore } from "@toad/platform";
import { startNats, startRedis, startScript, startService } from "./processes.mjs";

export async function startPlatform({ dir, words, rate, durable = true, maxStarts, profileDir, stops }) {
  const [redis, nats] = await Promise.all([startRedis({ durable }), startNats()]);
  stops.push(redis.stop, nats.stop);
  const model = await startScript("model-server.mjs", ["--words", String(words), "--rate", String(rate)], {
    PATH: process.env.PATH,
  });
  stops.push(model.stop);
  const base = {
    PATH: process.env.PATH,
    HOME: join(dir, "home"),
    TOAD_CONFIG_HOME: join(dir, "config"),
    TOAD_DATA_DIR: join(dir, "data"),
    ANTHROPIC_API_KEY: "sk-ant-bench",
    ANTHROPIC_BASE_URL: model.info.url,
    REDIS_URL: redis.url,
    NATS_URL: nats.url,
  };
  const profiled = ["router", "session", "gateway"];
  const service = async (name, env = {}) => {
    const profile =
      profileDir && profiled.includes(name)
        ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}.cpuprofile`]
        : [];
    const started = await startService(name, { ...base, ...env }, profile);
    stops.push(() => started.stop());
    return started;
  };
  const router = await service("router");
  const upstream = { TOAD_ROUTER_URL: `127.0.0.1:${router.port}` };
  const [session, context] = await Promise.all([
    service("session", upstream),
    service("context"),
    service("indexer"),
    service("sandbox"),
  ]);
  const gateway = await service("gateway", {
    ...upstream,
    // The start limit to measure with, when given (the gateway's default otherwise).
    ...(maxStarts !== undefined && { TOAD_GATEWAY_MAX_STARTS: String(maxStarts) }),
    TOAD_SESSION_URL: `127.0.0.1:${session.port}`,
    TOAD_CONTEXT_URL: `127.0.0.1:${context.port}`,
  });
  const address = `127.0.0.1:${gateway.port}`;

  const identityRedis = connectRedis({ url: redis.url });
  stops.push(async () => void (await identityRedis.quit()));
  const identity = new IdentityDirectory(new RedisKeyValueStore(identityRedis, false));
  const org = await identity.createOrg("bench");
  const user = await identity.createUser(org.id, "bench");
  const issueToken = async (name) =>
    (await identity.issueToken(user.id, { name, scopes: ["sessions"] })).token;
  return { redis, nats, model, router, session, gateway, address, identityRedis, issueToken };
}
