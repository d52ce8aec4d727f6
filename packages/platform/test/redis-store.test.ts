import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkpointContract } from "../../store/test/support/contract-checkpoints.js";
import { sessionAndLogContract } from "../../store/test/support/contract-log.js";
import { connectRedis, RedisSessionStore } from "../src/index.js";
import { INDEX_LAG_MS } from "../src/redis/redis-session-store.js";
import { startRedis, type TestServer } from "./support/servers.js";

let redis: TestServer;
beforeAll(async () => {
  redis = await startRedis({ durable: true });
});
afterAll(async () => {
  await redis.stop();
});

/** Each store gets its own key prefix: a fresh, empty store on the one server. */
const factory = async (deps: ConstructorParameters<typeof RedisSessionStore>[1]) =>
  new RedisSessionStore(connectRedis({ url: redis.url, keyPrefix: `t${randomUUID()}:` }), deps);

sessionAndLogContract("redis", factory);
checkpointContract("redis", factory);

describe("redis: durability and concurrency", () => {
  it("loses no acknowledged event when Redis is killed and restarted (AOF, appendfsync always)", async () => {
    const prefix = `t${randomUUID()}:`;
    const store = new RedisSessionStore(connectRedis({ url: redis.url, keyPrefix: prefix }));
    const session = await store.create({ cwd: "/repo", model: "m", permissionMode: "ask" });
    for (let i = 0; i < 50; i++) await store.append(session.id, { type: "text_delta", text: `t${i}` });
    await redis.stop("SIGKILL");
    await redis.restart();
    // The client reconnects by itself; the log is whole.
    const events = await store.events(session.id);
    expect(events.map((event) => event.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await store.get(session.id)).toMatchObject({ lastSeq: 50 });
    await store.close();
  });

  it("concurrent writers (separate connections) never share or skip a seq", async () => {
    const prefix = `t${randomUUID()}:`;
    const stores = [0, 1, 2, 3].map(
      () => new RedisSessionStore(connectRedis({ url: redis.url, keyPrefix: prefix })),
    );
    const [first] = stores;
    if (!first) throw new Error("no store");
    const session = await first.create({ cwd: "/repo", model: "m", permissionMode: "ask" });
    await Promise.all(
      stores.map(async (store, writer) => {
        for (let i = 0; i < 25; i++)
          await store.append(session.id, { type: "text_delta", text: `${writer}:${i}` });
      }),
    );
    const events = await first.events(session.id);
    expect(events.map((event) => event.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(new Set(events.map((event) => (event.type === "text_delta" ? event.text : ""))).size).toBe(100);
    await Promise.all(stores.map((store) => store.close()));
  });
});

describe("redis: listing while deltas stream", () => {
  it("orders by the exact updatedAt though deltas re-score the indexes only once it moved INDEX_LAG_MS", async () => {
    let at = 1_000_000;
    const store = new RedisSessionStore(connectRedis({ url: redis.url, keyPrefix: `t${randomUUID()}:` }), {
      now: () => at,
    });
    const streaming = await store.create({
      id: "streaming",
      cwd: "/repo",
      model: "m",
      permissionMode: "ask",
    });
    at += 100;
    await store.create({ id: "quiet", cwd: "/repo", model: "m", permissionMode: "ask" });
    await store.create({ id: "elsewhere", cwd: "/other", model: "m", permissionMode: "ask" });
    // Deltas within the lag leave the score at creation time, below "quiet"'s.
    for (let i = 0; i < 5; i++) {
      at += 50;
      await store.append(streaming.id, { type: "text_delta", text: `t${i}` });
    }
    const ids = async (query?: Parameters<typeof store.list>[0]) =>
      (await store.list(query)).map((s) => s.id);
    expect(await ids()).toEqual(["streaming", "elsewhere", "quiet"]);
    expect(await ids({ limit: 1 })).toEqual(["streaming"]);
    expect(await ids({ cwd: "/repo", limit: 1 })).toEqual(["streaming"]);
    expect((await store.latest("/repo"))?.updatedAt).toBe(at);
    at += 10;
    await store.append("quiet", { type: "text_delta", text: "now me" });
    expect(await ids({ cwd: "/repo", limit: 1 })).toEqual(["quiet"]);
    // Past the lag the score moves: a session created since, then left alone, is not ahead of it.
    at += INDEX_LAG_MS;
    await store.create({ id: "later", cwd: "/repo", model: "m", permissionMode: "ask" });
    at += INDEX_LAG_MS;
    await store.append(streaming.id, { type: "text_delta", text: "late" });
    expect(await ids({ cwd: "/repo" })).toEqual(["streaming", "later", "quiet"]);
    expect(await ids({ limit: 2 })).toEqual(["streaming", "later"]);
    await store.close();
  });
});
