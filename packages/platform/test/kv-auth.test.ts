import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectRedis,
  IdentityDirectory,
  type KeyValueStore,
  MemoryKeyValueStore,
  RateLimiter,
  RedisKeyValueStore,
  SqliteKeyValueStore,
} from "../src/index.js";
import { startRedis, type TestServer } from "./support/servers.js";

let redis: TestServer;
const open: KeyValueStore[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const kv of open) await kv.close();
  await redis.stop();
});

const adapters: [string, () => KeyValueStore][] = [
  ["memory", () => new MemoryKeyValueStore()],
  [
    "sqlite",
    () => {
      const kv = new SqliteKeyValueStore(":memory:");
      open.push(kv);
      return kv;
    },
  ],
  [
    "redis",
    () => {
      const kv = new RedisKeyValueStore(connectRedis({ url: redis.url, keyPrefix: `k${randomUUID()}:` }));
      open.push(kv);
      return kv;
    },
  ],
];

describe.each(adapters)("key-value port (%s)", (_name, make) => {
  it("strings, sets, float counters and fixed windows behave the same on every adapter", async () => {
    const kv = make();
    expect(await kv.get("a")).toBeUndefined();
    await kv.set("a", "1");
    expect(await kv.setIfAbsent("a", "2")).toBe(false);
    expect(await kv.setIfAbsent("b", "2")).toBe(true);
    expect([await kv.get("a"), await kv.get("b")]).toEqual(["1", "2"]);
    await kv.delete("a");
    expect(await kv.get("a")).toBeUndefined();

    await kv.addToSet("s", "x");
    await kv.addToSet("s", "y");
    await kv.addToSet("s", "x");
    await kv.removeFromSet("s", "y");
    expect(await kv.members("s")).toEqual(["x"]);

    await kv.incrementFields("h", { cost: 0.25, n: 1 });
    await kv.incrementFields("h", { cost: 0.5, n: 1 });
    expect(await kv.fields("h")).toEqual({ cost: 0.75, n: 2 });
    expect(await kv.fields("none")).toEqual({});

    const hits = [];
    for (let i = 0; i < 3; i++) hits.push((await kv.hit("w", 150)).count);
    expect(hits).toEqual([1, 2, 3]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const fresh = await kv.hit("w", 150);
    expect(fresh.count).toBe(1);
    expect(fresh.resetInMs).toBeGreaterThan(0);
    expect(fresh.resetInMs).toBeLessThanOrEqual(150);
  });
});

describe("identity: orgs, users, hashed tokens", () => {
  it("issues tokens whose secret is never stored, authenticates them, and refuses bad, revoked and expired ones", async () => {
    let now = 1_000;
    const kv = new MemoryKeyValueStore(() => now);
    const identity = new IdentityDirectory(kv, () => now);
    const org = await identity.createOrg("acme");
    const user = await identity.createUser(org.id, "alice");
    const { record, token } = await identity.issueToken(user.id, {
      name: "cli",
      scopes: ["sessions"],
      expiresAt: 5_000,
    });
    const secret = token.split("_").slice(2).join("_");
    expect(JSON.stringify(await kv.get(`token:${record.tokenId}`))).not.toContain(secret);
    expect(record.hash).toMatch(/^[0-9a-f]{64}$/);

    expect(await identity.authenticate(token)).toEqual({
      ok: true,
      value: { orgId: org.id, userId: user.id, tokenId: record.tokenId, scopes: ["sessions"] },
    });
    const wrong = `toad_${record.tokenId}_${"x".repeat(43)}`;
    expect(await identity.authenticate(wrong)).toMatchObject({ ok: false, error: { code: "unknown" } });
    expect(await identity.authenticate(undefined)).toMatchObject({ ok: false, error: { code: "missing" } });
    expect(await identity.authenticate("Bearer nope")).toMatchObject({
      ok: false,
      error: { code: "malformed" },
    });

    now = 5_000;
    expect(await identity.authenticate(token)).toMatchObject({ ok: false, error: { code: "expired" } });
    const second = await identity.issueToken(user.id, { name: "ci", scopes: ["*"] });
    expect((await identity.tokensOf(user.id)).map((t) => t.name)).toEqual(["cli", "ci"]);
    expect(await identity.revokeToken("someone-else", second.record.tokenId)).toBe(false);
    expect(await identity.revokeToken(user.id, second.record.tokenId)).toBe(true);
    expect(await identity.authenticate(second.token)).toMatchObject({
      ok: false,
      error: { code: "revoked" },
    });
    await expect(identity.createUser("org_missing", "bob")).rejects.toThrow(/no org/);
  });

  it("registers the bootstrap token once, as an admin of org default", async () => {
    const identity = new IdentityDirectory(new MemoryKeyValueStore());
    const token = `toad_0123456789abcdef_${"A".repeat(43)}`;
    const first = await identity.ensureBootstrapToken(token);
    const again = await identity.ensureBootstrapToken(token);
    expect(again).toEqual(first);
    expect(await identity.authenticate(token)).toMatchObject({
      ok: true,
      value: { orgId: "default", userId: "admin", scopes: ["*"] },
    });
    await expect(identity.ensureBootstrapToken("not-a-token")).rejects.toThrow(/not a toad_/);
  });

  it("rate limits per key in fixed windows", async () => {
    let now = 0;
    const limiter = new RateLimiter(new MemoryKeyValueStore(() => now), { limit: 2, windowMs: 1_000 });
    expect(await limiter.take("t")).toEqual({ ok: true, remaining: 1 });
    expect(await limiter.take("t")).toEqual({ ok: true, remaining: 0 });
    expect(await limiter.take("t")).toEqual({ ok: false, retryInMs: 1_000 });
    expect((await limiter.take("other")).ok).toBe(true);
    now = 1_000;
    expect((await limiter.take("t")).ok).toBe(true);
  });
});

describe.each(adapters)("identity: admit in one step (%s)", (_name, make) => {
  it("counts and stamps only valid tokens, reads the extra key along, and refuses as authenticate does", async () => {
    let now = 1_000;
    const kv = make();
    const identity = new IdentityDirectory(kv, () => now);
    const user = await identity.createUser((await identity.createOrg("acme")).id, "alice");
    const { record, token } = await identity.issueToken(user.id, {
      name: "cli",
      scopes: ["sessions"],
      expiresAt: 5_000,
    });
    const rate = { key: (id: string) => `rate:token:${id}`, windowMs: 60_000 };
    await kv.set("session-org:s1", "org-x");

    const first = await identity.admit(token, rate, "session-org:s1");
    expect(first).toMatchObject({
      ok: true,
      value: { principal: { tokenId: record.tokenId }, hit: { count: 1 }, also: "org-x" },
    });
    expect(await kv.get(`token-used:${record.tokenId}`)).toBe("1000");
    expect(await identity.admit(token, rate)).toMatchObject({ ok: true, value: { hit: { count: 2 } } });

    // Refusals never count against the token's window nor stamp it.
    now = 2_000;
    const wrong = `toad_${record.tokenId}_${"x".repeat(43)}`;
    expect(await identity.admit(wrong, rate)).toMatchObject({ ok: false, error: { code: "unknown" } });
    expect(await identity.admit(undefined, rate)).toMatchObject({ ok: false, error: { code: "missing" } });
    now = 5_000;
    expect(await identity.admit(token, rate)).toMatchObject({ ok: false, error: { code: "expired" } });
    now = 2_000;
    await identity.revokeToken(user.id, record.tokenId);
    expect(await identity.admit(token, rate, "session-org:s1")).toMatchObject({
      ok: false,
      error: { code: "revoked" },
    });
    expect(await kv.get(`token-used:${record.tokenId}`)).toBe("1000");
    expect((await kv.hit(`rate:token:${record.tokenId}`, 60_000)).count).toBe(3);
  });
});
