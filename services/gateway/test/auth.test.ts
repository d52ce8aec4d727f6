import { credentials, makeGenericClientConstructor } from "@grpc/grpc-js";
import { Decision, ToolLocation } from "@toad/proto";
import { service as healthService } from "grpc-health-check";
import { Metadata, Status } from "nice-grpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drive, gatewayClients, statusOf, withToken } from "./support/clients.js";
import { type Cluster, MODEL, startCluster } from "./support/cluster.js";
import { SCRIPTED_MODEL } from "./support/scripted.js";

let cluster: Cluster;
let clients: ReturnType<typeof gatewayClients>;
let alice: string;
let bob: string;
let readOnly: string;
let aliceSession: string;

beforeAll(async () => {
  cluster = await startCluster({ llm: SCRIPTED_MODEL });
  clients = gatewayClients(cluster.gatewayAddress);
  const { identity } = cluster;
  const acme = await identity.createOrg("acme");
  const globex = await identity.createOrg("globex");
  const aliceUser = await identity.createUser(acme.id, "alice");
  alice = (await identity.issueToken(aliceUser.id, { name: "all", scopes: ["*"] })).token;
  readOnly = (await identity.issueToken(aliceUser.id, { name: "models", scopes: ["models"] })).token;
  bob = (
    await identity.issueToken((await identity.createUser(globex.id, "bob")).id, { name: "t", scopes: ["*"] })
  ).token;
  const created = await clients.session.createSession(
    { cwd: cluster.dir, model: MODEL, toolLocation: ToolLocation.TOOL_LOCATION_CLIENT },
    withToken(alice),
  );
  aliceSession = created.id;
  await drive(clients.session, aliceSession, "say hi", alice);
}, 30_000);
afterAll(async () => {
  clients?.close();
  await cluster?.stop();
});

/** Every RPC the gateway serves, called with the given options (session RPCs aim at alice's session). */
function everyRpc(options: { metadata?: Metadata }) {
  const { gateway, admin, batch, session, router, context } = clients;
  const sessionId = aliceSession;
  return {
    "Gateway.WhoAmI": () => gateway.whoAmI({}, options),
    "Gateway.CreateApiToken": () => gateway.createApiToken({ name: "x" }, options),
    "Gateway.ListApiTokens": () => gateway.listApiTokens({}, options),
    "Gateway.RevokeApiToken": () => gateway.revokeApiToken({ tokenId: "0123456789abcdef" }, options),
    "Session.CreateSession": () =>
      session.createSession({ cwd: "/tmp", toolLocation: ToolLocation.TOOL_LOCATION_CLIENT }, options),
    "Session.GetSession": () => session.getSession({ sessionId }, options),
    "Session.ListSessions": () => session.listSessions({}, options),
    "Session.SendMessage": () => () => session.sendMessage({ sessionId, text: "hi" }, options),
    "Session.Approve": () =>
      session.approve({ sessionId, requestId: "r", decision: Decision.DECISION_ALLOW }, options),
    "Session.SubmitToolResult": () => session.submitToolResult({ sessionId, callId: "c" }, options),
    "Session.Cancel": () => session.cancel({ sessionId }, options),
    "Session.Resume": () => () => session.resume({ sessionId }, options),
    "Router.Complete": () => () => router.complete({ sessionId }, options),
    "Router.ListModels": () => router.listModels({}, options),
    "Router.GetCosts": () => router.getCosts({ sessionId }, options),
    "Context.Retrieve": () => context.retrieve({ repoId: "r", query: "q" }, options),
    "Context.GetRepoMap": () => context.getRepoMap({ repoId: "r" }, options),
    "Admin.CreateOrg": () => admin.createOrg({ name: "every-rpc-probe" }, options),
    "Admin.ListOrgs": () => admin.listOrgs({}, options),
    "Admin.CreateUser": () => admin.createUser({ name: "eve" }, options),
    "Admin.ListUsers": () => admin.listUsers({}, options),
    "Admin.CreateToken": () => admin.createToken({ userId: "u", name: "x" }, options),
    "Admin.ListTokens": () => admin.listTokens({}, options),
    "Admin.RevokeToken": () => admin.revokeToken({ tokenId: "0123456789abcdef" }, options),
    "Batch.SubmitRun": () => () => batch.submitRun({ runId: "run-1" }, options),
    "Batch.WatchRun": () => () => batch.watchRun({ runId: "run-1" }, options),
  };
}

async function statuses(options: { metadata?: Metadata }): Promise<Record<string, Status | "ok">> {
  const result: Record<string, Status | "ok"> = {};
  for (const [name, call] of Object.entries(everyRpc(options))) result[name] = await statusOf(call());
  return result;
}

const names = (codes: Record<string, Status | "ok">) =>
  Object.fromEntries(
    Object.entries(codes).map(([name, code]) => [name, code === "ok" ? "ok" : Status[code]]),
  );

describe("authentication on every RPC", () => {
  it.each([
    ["no token", {}],
    ["a malformed token", { metadata: Metadata({ authorization: "Bearer nope" }) }],
    ["a well-formed unknown token", withToken(`toad_fedcba9876543210_${"B".repeat(43)}`)],
    ["a known id with the wrong secret", withToken(`toad_0123456789abcdef_${"C".repeat(43)}`)],
  ])("%s is refused with UNAUTHENTICATED everywhere", async (_name, options) => {
    const codes = names(await statuses(options));
    expect(Object.keys(codes)).toHaveLength(26);
    expect(Object.entries(codes).filter(([, code]) => code !== "UNAUTHENTICATED")).toEqual([]);
  });

  it("a token of another org cannot read or touch the session: NOT_FOUND, as if it did not exist", async () => {
    const codes = names(await statuses(withToken(bob)));
    expect(codes).toMatchObject({
      "Session.GetSession": "NOT_FOUND",
      "Session.SendMessage": "NOT_FOUND",
      "Session.Approve": "NOT_FOUND",
      "Session.SubmitToolResult": "NOT_FOUND",
      "Session.Cancel": "NOT_FOUND",
      "Session.Resume": "NOT_FOUND",
      "Router.GetCosts": "NOT_FOUND",
    });
    const listed = await clients.session.listSessions({}, withToken(bob));
    expect(listed.sessions.map((session) => session.id)).not.toContain(aliceSession);
    // The owner still sees it, in its list too.
    expect((await clients.session.getSession({ sessionId: aliceSession }, withToken(alice))).id).toBe(
      aliceSession,
    );
    const mine = await clients.session.listSessions({ cwd: cluster.dir }, withToken(alice));
    expect(mine.sessions.map((session) => session.id)).toContain(aliceSession);
    // Nothing of alice's org leaked into bob's costs.
    expect((await clients.router.getCosts({}, withToken(bob))).total?.requests).toBe(0);
  });

  it("a token without a scope gets PERMISSION_DENIED; internal and absent services say UNIMPLEMENTED", async () => {
    const codes = names(await statuses(withToken(readOnly)));
    expect(codes).toMatchObject({
      "Gateway.WhoAmI": "ok",
      "Router.ListModels": "ok",
      "Session.CreateSession": "PERMISSION_DENIED",
      "Session.ListSessions": "PERMISSION_DENIED",
      "Gateway.CreateApiToken": "PERMISSION_DENIED",
      "Router.GetCosts": "PERMISSION_DENIED",
    });
    const full = names(await statuses(withToken(alice)));
    expect(full["Router.Complete"]).toBe("UNIMPLEMENTED");
    expect(full["Context.Retrieve"]).toBe("UNIMPLEMENTED");
  });

  it("tokens: created with a subset of the caller's scopes, listed without secrets, revoked for good", async () => {
    const { gateway } = clients;
    const made = await gateway.createApiToken({ name: "ci", scopes: ["sessions"] }, withToken(alice));
    expect(made.token).toMatch(/^toad_[0-9a-f]{16}_/);
    expect((await gateway.whoAmI({}, withToken(made.token))).scopes).toEqual(["sessions"]);
    expect(await statusOf(gateway.createApiToken({ name: "up", scopes: ["*"] }, withToken(readOnly)))).toBe(
      Status.PERMISSION_DENIED,
    );
    expect(await statusOf(gateway.createApiToken({ name: "x", scopes: ["root"] }, withToken(alice)))).toBe(
      Status.INVALID_ARGUMENT,
    );
    expect(await statusOf(gateway.createApiToken({ name: "x", expiresAtMs: 1 }, withToken(alice)))).toBe(
      Status.INVALID_ARGUMENT,
    );
    const listed = await gateway.listApiTokens({}, withToken(alice));
    expect(listed.tokens.map((token) => token.name)).toEqual(expect.arrayContaining(["all", "models", "ci"]));
    expect(JSON.stringify(listed)).not.toContain(made.token.split("_")[2]);
    // Bob cannot revoke alice's token; alice can.
    expect(await statusOf(gateway.revokeApiToken({ tokenId: made.tokenId }, withToken(bob)))).toBe(
      Status.NOT_FOUND,
    );
    await gateway.revokeApiToken({ tokenId: made.tokenId }, withToken(alice));
    expect(await statusOf(gateway.whoAmI({}, withToken(made.token)))).toBe(Status.UNAUTHENTICATED);

    const expiring = await cluster.identity.issueToken(
      (await cluster.identity.createUser((await cluster.identity.createOrg("initech")).id, "peter")).id,
      { name: "old", scopes: ["*"], expiresAt: Date.now() + 150 },
    );
    expect(await statusOf(gateway.whoAmI({}, withToken(expiring.token)))).toBe("ok");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await statusOf(gateway.whoAmI({}, withToken(expiring.token)))).toBe(Status.UNAUTHENTICATED);
  });

  it("limits each token to TOAD_RATE_LIMIT requests per window: RESOURCE_EXHAUSTED, other tokens unaffected", async () => {
    const limited = await cluster.extraGateway({ TOAD_RATE_LIMIT: "3", TOAD_RATE_WINDOW_MS: "60000" });
    const other = gatewayClients(`127.0.0.1:${limited.port}`);
    const fresh = async () =>
      (await clients.gateway.createApiToken({ name: "burst" }, withToken(alice))).token;
    const [token, another] = [await fresh(), await fresh()];
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push(await statusOf(other.gateway.whoAmI({}, withToken(token))));
    expect(codes).toEqual(["ok", "ok", "ok", Status.RESOURCE_EXHAUSTED, Status.RESOURCE_EXHAUSTED]);
    // The count lives in Redis: another replica with the same limit refuses the token too.
    const replica = await cluster.extraGateway({ TOAD_RATE_LIMIT: "3", TOAD_RATE_WINDOW_MS: "60000" });
    const onReplica = gatewayClients(`127.0.0.1:${replica.port}`);
    expect(await statusOf(onReplica.gateway.whoAmI({}, withToken(token)))).toBe(Status.RESOURCE_EXHAUSTED);
    onReplica.close();
    expect(await statusOf(other.gateway.whoAmI({}, withToken(another)))).toBe("ok");
    other.close();
  });
});

describe("operations", () => {
  it("answers the gRPC health protocol on the service port and serves /metrics", async () => {
    const Health = makeGenericClientConstructor(healthService, "Health");
    const client = new Health(cluster.gatewayAddress, credentials.createInsecure());
    const method = healthService.Check;
    if (!method) throw new Error("grpc-health-check has no Check method");
    const check = (service: string) =>
      new Promise<unknown>((resolve, reject) => {
        client.makeUnaryRequest(
          "/grpc.health.v1.Health/Check",
          (value: { service: string }) => method.requestSerialize(value),
          (bytes: Buffer) => method.responseDeserialize(bytes),
          { service },
          (error, response) => (error ? reject(error) : resolve(response)),
        );
      });
    expect(await check("")).toEqual({ status: "SERVING" });
    expect(await check("toad.v1.SessionService")).toEqual({ status: "SERVING" });
    client.close();

    const body = await (await fetch(`http://127.0.0.1:${cluster.gateway.metricsPort}/metrics`)).text();
    expect(body).toMatch(/toad_grpc_server_handled_total\{[^}]*method="CreateSession"[^}]*code="OK"/);
    expect(body).toMatch(/toad_grpc_server_handled_total\{[^}]*code="UNAUTHENTICATED"/);
    expect(body).toContain("process_resident_memory_bytes");
    expect((await fetch(`http://127.0.0.1:${cluster.gateway.metricsPort}/healthz`)).status).toBe(200);
  });
});
