import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CostBook, connectRedis, MemoryKeyValueStore, type Redis, RedisKeyValueStore } from "../src/index.js";
import { startRedis, type TestServer } from "./support/servers.js";

let server: TestServer;
const connections: Redis[] = [];
beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  for (const redis of connections) await redis.quit();
  await server.stop();
});

function connect(): Redis {
  const redis = connectRedis({ url: server.url, keyPrefix: `c${randomUUID()}:` });
  connections.push(redis);
  return redis;
}

const usage = (model: string, costUsd: number, cacheReadTokens: number) => ({
  type: "usage" as const,
  model,
  inputTokens: 1000,
  outputTokens: 7,
  cacheReadTokens,
  cacheWriteTokens: 0,
  costUsd,
});

describe("cost book on Redis", () => {
  it("one script for all scopes stores what one write per scope stores, and reports the same", async () => {
    const perScope = connect();
    const oneScript = connect();
    const memory = new MemoryKeyValueStore();
    // The port without runScript: one incrementFields per scope, as the stores without scripts do.
    const stepwise = new RedisKeyValueStore(perScope, false);
    Object.assign(stepwise, { runScript: undefined });
    const scripted = new RedisKeyValueStore(oneScript, false);
    let scripts = 0;
    const run = scripted.runScript.bind(scripted);
    Object.assign(scripted, {
      runScript: (...args: Parameters<typeof run>) => {
        scripts++;
        return run(...args);
      },
    });
    const books = [new CostBook(stepwise), new CostBook(scripted), new CostBook(memory)];
    const writes: [string[], ReturnType<typeof usage>, number][] = [
      [["org:a", "session:s"], usage("m1", 0.0031, 0), Date.UTC(2026, 0, 1)],
      [["org:a", "session:s"], usage("m1", 0.0007, 12), Date.UTC(2026, 0, 1, 23)],
      [["org:a"], usage("m|2", 1.25, 3), Date.UTC(2026, 0, 2)],
    ];
    for (const book of books) for (const [scopes, event, at] of writes) await book.record(scopes, event, at);

    expect(scripts).toBe(writes.length);
    const stored = async (redis: Redis, key: string) => redis.hgetall(key);
    for (const key of ["costs:org:a", "costs:session:s"]) {
      const expected = await stored(perScope, key);
      expect(Object.keys(expected).length).toBeGreaterThan(0);
      expect(await stored(oneScript, key)).toEqual(expected);
    }
    for (const scope of ["org:a", "session:s"]) {
      const [reference, ...others] = await Promise.all(books.map((book) => book.report(scope)));
      for (const other of others) expect(other).toEqual(reference);
    }
    const org = await books[1]?.report("org:a");
    expect(org?.total).toMatchObject({ requests: 3, inputTokens: 3000, cacheReadTokens: 15 });
    expect(org?.byModel.map((line) => line.key).sort()).toEqual(["m1", "m|2"]);
    expect((await books[1]?.report("session:s", "2026-01-02"))?.total?.requests).toBe(0);
  });
});
