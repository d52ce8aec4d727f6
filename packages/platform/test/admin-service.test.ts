import { createHash, randomUUID } from "node:crypto";
import { AdminServiceDefinition, GatewayServiceDefinition, inProcessClient } from "@toad/proto";
import { ClientError, Metadata, Status } from "nice-grpc-common";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectRedis,
  createAdminService,
  createGatewayService,
  createGuard,
  IdentityDirectory,
  newToken,
  parseToken,
  RateLimiter,
  type Redis,
  RedisKeyValueStore,
  SqliteKeyValueStore,
} from "../src/index.js";
import { startRedis, type TestServer } from "./support/servers.js";

// The admin service over a real Redis key-value store, called through the
// in-process client (same request normalisation and status codes as gRPC;
// cli/test/admin-command.test.ts drives it over real gRPC through `toad serve`).
let redis: TestServer;
let raw: Redis;
let kv: RedisKeyValueStore;
let identity: IdentityDirectory;
let admin: ReturnType<typeof inProcessClient<typeof AdminServiceDefinition>>;
let gateway: ReturnType<typeof inProcessClient<typeof GatewayServiceDefinition>>;
const root = newToken().token;

beforeAll(async () => {
  redis = await startRedis();
  raw = connectRedis({ url: redis.url, keyPrefix: "" });
  kv = new RedisKeyValueStore(connectRedis({ url: redis.url, keyPrefix: "toad:" }));
  identity = new IdentityDirectory(kv);
  await identity.ensureBootstrapToken(root);
  const guard = createGuard(identity, new RateLimiter(kv, { limit: 10_000, windowMs: 60_000 }));
  admin = inProcessClient(AdminServiceDefinition, createAdminService({ guard, identity }));
  gateway = inProcessClient(GatewayServiceDefinition, createGatewayService({ guard, identity }));
});
afterAll(async () => {
  raw?.disconnect();
  await kv?.close();
  await redis?.stop();
});

const as = (token: string | undefined) => ({
  metadata: token === undefined ? Metadata() : Metadata({ authorization: `Bearer ${token}` }),
});

/** The gRPC status name a call ends with, or "OK". */
async function status(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (error) {
    if (error instanceof ClientError) return Status[error.code];
    throw error;
  }
}

/** Orgs A and B, a user in each, an org admin of A and a plain user token of A. */
async function setUpOrgs() {
  const orgA = (await admin.createOrg({ name: `a-${randomUUID().slice(0, 8)}` }, as(root))).org;
  const orgB = (await admin.createOrg({ name: `b-${randomUUID().slice(0, 8)}` }, as(root))).org;
  if (!orgA || !orgB) throw new Error("no org returned");
  const userA = (await admin.createUser({ org: orgA.orgId, name: "ann" }, as(root))).user;
  const userB = (await admin.createUser({ org: orgB.name, name: "ben" }, as(root))).user;
  if (!userA || !userB) throw new Error("no user returned");
  const orgAdminA = (
    await admin.createToken(
      { userId: userA.userId, name: "admin", scopes: ["org-admin", "sessions", "tokens"] },
      as(root),
    )
  ).secret;
  const plainA = (await admin.createToken({ userId: userA.userId, name: "plain" }, as(root))).secret;
  return { orgA, orgB, userA, userB, orgAdminA, plainA };
}

describe("AdminService", () => {
  it("lets a platform admin create and list orgs, users and tokens, with clear errors for bad input", async () => {
    const { orgA, orgB, userA, userB } = await setUpOrgs();
    const orgs = (await admin.listOrgs({}, as(root))).orgs.map((org) => org.orgId);
    expect(orgs).toEqual(expect.arrayContaining(["default", orgA.orgId, orgB.orgId]));
    expect((await admin.listUsers({ org: orgB.orgId }, as(root))).users).toEqual([userB]);
    // By name, and the same user name may live in two orgs.
    expect((await admin.listUsers({ org: orgA.name }, as(root))).users.map((user) => user.userId)).toEqual([
      userA.userId,
    ]);
    expect(await status(admin.createUser({ org: orgB.orgId, name: "ann" }, as(root)))).toBe("OK");

    expect(await status(admin.createOrg({ name: orgA.name.toUpperCase() }, as(root)))).toBe("ALREADY_EXISTS");
    expect(await status(admin.createUser({ org: orgA.orgId, name: "ANN" }, as(root)))).toBe("ALREADY_EXISTS");
    expect(await status(admin.createOrg({ name: "bad/name" }, as(root)))).toBe("INVALID_ARGUMENT");
    expect(await status(admin.createOrg({ name: "" }, as(root)))).toBe("INVALID_ARGUMENT");
    expect(await status(admin.createUser({ org: "org_nope", name: "x" }, as(root)))).toBe("NOT_FOUND");
    expect(await status(admin.listUsers({ org: "no-such-org" }, as(root)))).toBe("NOT_FOUND");
    expect(await status(admin.createToken({ userId: "usr_nope", name: "t" }, as(root)))).toBe("NOT_FOUND");
    expect(
      await status(admin.createToken({ userId: userA.userId, name: "t", scopes: ["root"] }, as(root))),
    ).toBe("INVALID_ARGUMENT");
    expect(
      await status(
        admin.createToken({ userId: userA.userId, name: "t", expiresAtMs: Date.now() - 1 }, as(root)),
      ),
    ).toBe("INVALID_ARGUMENT");
    expect(await status(admin.createToken({ userId: userA.userId, name: " " }, as(root)))).toBe(
      "INVALID_ARGUMENT",
    );
    expect(await status(admin.revokeToken({ tokenId: "not-an-id" }, as(root)))).toBe("INVALID_ARGUMENT");
    expect(await status(admin.revokeToken({ tokenId: "0123456789abcdef" }, as(root)))).toBe("NOT_FOUND");
  });

  it("keeps an org admin inside its own org and below its own scopes", async () => {
    const { orgA, orgB, userA, userB, orgAdminA } = await setUpOrgs();
    expect((await admin.listOrgs({}, as(orgAdminA))).orgs.map((org) => org.orgId)).toEqual([orgA.orgId]);
    expect((await admin.listUsers({}, as(orgAdminA))).users.map((user) => user.userId)).toEqual([
      userA.userId,
    ]);
    const colleague = (await admin.createUser({ name: "cid" }, as(orgAdminA))).user;
    expect(colleague?.orgId).toBe(orgA.orgId);

    const denied = {
      createOrg: admin.createOrg({ name: "mine" }, as(orgAdminA)),
      listUsersB: admin.listUsers({ org: orgB.orgId }, as(orgAdminA)),
      listUsersByName: admin.listUsers({ org: orgB.name }, as(orgAdminA)),
      // An org that does not exist reads the same as another org's: names cannot be probed.
      listUsersUnknown: admin.listUsers({ org: "no-such-org" }, as(orgAdminA)),
      createUserB: admin.createUser({ org: orgB.orgId, name: "eve" }, as(orgAdminA)),
      createTokenB: admin.createToken(
        { userId: userB.userId, name: "t", scopes: ["sessions"] },
        as(orgAdminA),
      ),
      listTokensB: admin.listTokens({ org: orgB.orgId }, as(orgAdminA)),
      listTokensUserB: admin.listTokens({ userId: userB.userId }, as(orgAdminA)),
      mintAdmin: admin.createToken({ userId: userA.userId, name: "t", scopes: ["admin"] }, as(orgAdminA)),
      mintStar: admin.createToken({ userId: userA.userId, name: "t", scopes: ["*"] }, as(orgAdminA)),
      mintUnheld: admin.createToken({ userId: userA.userId, name: "t", scopes: ["costs"] }, as(orgAdminA)),
    };
    const codes = Object.fromEntries(
      await Promise.all(Object.entries(denied).map(async ([name, call]) => [name, await status(call)])),
    );
    expect(codes).toEqual(Object.fromEntries(Object.keys(denied).map((name) => [name, "PERMISSION_DENIED"])));

    // Within its org and its scopes it may mint; with no scopes named, the non-admin ones it holds.
    const minted = await admin.createToken({ userId: colleague?.userId, name: "dev" }, as(orgAdminA));
    expect(minted.token?.scopes).toEqual(["sessions", "tokens"]);
    // A token stronger than its own (the platform admin minted it) is beyond its reach.
    const strong = await admin.createToken({ userId: userA.userId, name: "strong", scopes: ["*"] }, as(root));
    expect(await status(admin.revokeToken({ tokenId: strong.token?.tokenId }, as(orgAdminA)))).toBe(
      "PERMISSION_DENIED",
    );
    expect(await status(admin.revokeToken({ tokenId: minted.token?.tokenId }, as(orgAdminA)))).toBe("OK");
  });

  it("refuses every admin RPC to plain, missing and wrong tokens", async () => {
    const { orgA, userA, plainA } = await setUpOrgs();
    const calls = (token: string | undefined) => ({
      createOrg: admin.createOrg({ name: "x" }, as(token)),
      listOrgs: admin.listOrgs({}, as(token)),
      createUser: admin.createUser({ org: orgA.orgId, name: "x" }, as(token)),
      listUsers: admin.listUsers({}, as(token)),
      createToken: admin.createToken({ userId: userA.userId, name: "x" }, as(token)),
      listTokens: admin.listTokens({}, as(token)),
      revokeToken: admin.revokeToken({ tokenId: "0123456789abcdef" }, as(token)),
    });
    const codesOf = async (token: string | undefined) =>
      new Set(await Promise.all(Object.values(calls(token)).map(status)));
    expect(await codesOf(plainA)).toEqual(new Set(["PERMISSION_DENIED"]));
    expect(await codesOf(undefined)).toEqual(new Set(["UNAUTHENTICATED"]));
    expect(await codesOf(newToken().token)).toEqual(new Set(["UNAUTHENTICATED"]));
    expect(await codesOf(`${root.slice(0, -2)}xx`)).toEqual(new Set(["UNAUTHENTICATED"]));
  });

  it("returns a secret once, lists and stores only its hash, and revocation takes effect at once", async () => {
    const { orgA, userA, orgAdminA } = await setUpOrgs();
    const created = await admin.createToken(
      { userId: userA.userId, name: "ci", scopes: ["sessions"], expiresAtMs: Date.now() + 3_600_000 },
      as(orgAdminA),
    );
    const tokenId = created.token?.tokenId ?? "";
    expect(created.secret).toMatch(new RegExp(`^toad_${tokenId}_`));
    expect(await gateway.whoAmI({}, as(created.secret))).toMatchObject({
      orgId: orgA.orgId,
      userId: userA.userId,
      scopes: ["sessions"],
    });

    const listed = await admin.listTokens({ userId: userA.userId }, as(orgAdminA));
    const entry = listed.tokens.find((token) => token.tokenId === tokenId);
    expect(entry?.lastUsedAtMs).toBeGreaterThan(0);
    const secret = parseToken(created.secret)?.secret ?? "";
    expect(secret).not.toBe("");
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect((await admin.listTokens({}, as(orgAdminA))).tokens.map((token) => token.tokenId)).toContain(
      tokenId,
    );

    // Everything Redis holds: the secret never, its SHA-256 once.
    const dump = await dumpRedis();
    expect(dump).not.toContain(secret);
    expect(dump).toContain(createHash("sha256").update(secret).digest("hex"));

    await admin.revokeToken({ tokenId }, as(orgAdminA));
    expect(await status(gateway.whoAmI({}, as(created.secret)))).toBe("UNAUTHENTICATED");
    expect(
      (await admin.listTokens({ userId: userA.userId }, as(root))).tokens.map((t) => t.tokenId),
    ).not.toContain(tokenId);
    expect(await status(admin.revokeToken({ tokenId }, as(root)))).toBe("NOT_FOUND");
  });
});

describe("IdentityDirectory indexes", () => {
  it("lists the bootstrap org and user of a store written before the org and user indexes existed", async () => {
    const store = new SqliteKeyValueStore(":memory:");
    try {
      const directory = new IdentityDirectory(store);
      const token = newToken().token;
      await directory.ensureBootstrapToken(token);
      // What a store from before the indexes looks like: the records, no index entries.
      await store.removeFromSet("orgs", "default");
      await store.removeFromSet("org-users:default", "admin");
      await store.delete("org-name:default");
      expect(await directory.orgs()).toEqual([]);

      await directory.ensureBootstrapToken(token);
      expect((await directory.orgs()).map((org) => org.id)).toEqual(["default"]);
      expect((await directory.usersOf("default")).map((user) => user.id)).toEqual(["admin"]);
      await expect(directory.createOrg("DEFAULT")).rejects.toThrow(/already exists/);
    } finally {
      await store.close();
    }
  });
});

async function dumpRedis(): Promise<string> {
  const parts: string[] = [];
  for (const key of await raw.keys("*")) {
    const type = await raw.type(key);
    if (type === "string") parts.push(key, (await raw.get(key)) ?? "");
    else if (type === "set") parts.push(key, ...(await raw.smembers(key)));
    else if (type === "hash") parts.push(key, JSON.stringify(await raw.hgetall(key)));
    else parts.push(key, type);
  }
  expect(parts.length).toBeGreaterThan(0);
  return parts.join("\n");
}
