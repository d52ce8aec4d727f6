import { eventFromProto } from "@toad/core/proto";
import { PermissionMode, ToolLocation } from "@toad/proto";
import { Status } from "nice-grpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drive, gatewayClients, statusOf, withToken } from "./support/clients.js";
import { type Cluster, MODEL, startCluster } from "./support/cluster.js";
import { SCRIPTED_MODEL } from "./support/scripted.js";

let cluster: Cluster;
let clients: ReturnType<typeof gatewayClients>;
/** Tokens of two orgs. */
let alice: string;
let bob: string;

beforeAll(async () => {
  cluster = await startCluster({ llm: SCRIPTED_MODEL });
  clients = gatewayClients(cluster.gatewayAddress);
  const { identity } = cluster;
  const acme = await identity.createOrg("acme");
  const globex = await identity.createOrg("globex");
  alice = (
    await identity.issueToken((await identity.createUser(acme.id, "alice")).id, { name: "t", scopes: ["*"] })
  ).token;
  bob = (
    await identity.issueToken((await identity.createUser(globex.id, "bob")).id, { name: "t", scopes: ["*"] })
  ).token;
}, 30_000);
afterAll(async () => {
  clients?.close();
  await cluster?.stop();
});

const clientSession = (token: string) =>
  clients.session.createSession(
    {
      cwd: cluster.dir,
      model: MODEL,
      permissionMode: PermissionMode.PERMISSION_MODE_ASK,
      toolLocation: ToolLocation.TOOL_LOCATION_CLIENT,
    },
    withToken(token),
  );

describe("sessions through the gateway", () => {
  it("runs a session whose tools run on the client: the tool call comes down the stream, the result goes back", async () => {
    const { session, gateway } = clients;
    expect(await gateway.whoAmI({}, withToken(cluster.bootstrapToken))).toMatchObject({
      orgId: "default",
      userId: "admin",
      scopes: ["*"],
    });
    const created = await clientSession(alice);
    const events = await drive(session, created.id, "read a.txt please", alice, (name, args) =>
      name === "read_file" && JSON.parse(args).path === "a.txt" ? "hello from the client" : "wrong call",
    );
    const core = events.map(eventFromProto);
    expect(core[0]).toMatchObject({ type: "user_message", text: "read a.txt please" });
    expect(core.find((event) => event.type === "tool_result")).toMatchObject({
      name: "read_file",
      output: "hello from the client",
      isError: false,
    });
    expect(core.at(-1)).toMatchObject({ type: "turn_end", stopReason: "end_turn" });
    expect(
      core
        .filter((event) => event.type === "text_delta")
        .map((event) => event.text)
        .join(""),
    ).toContain("hello from the client");
    // Gapless, starting after session_started (seq 1).
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 2));

    // Resume from 0 replays the same log, session_started first.
    const stored = await session.getSession({ sessionId: created.id }, withToken(alice));
    expect(stored).toMatchObject({
      lastSeq: events.length + 1,
      toolLocation: ToolLocation.TOOL_LOCATION_CLIENT,
    });
    const replay = [];
    for await (const event of session.resume({ sessionId: created.id, afterSeq: 0 }, withToken(alice))) {
      replay.push(event);
      if (event.seq === stored.lastSeq) break;
    }
    expect(replay.slice(1)).toEqual(events);

    // The usage is priced and counted for the org and the session.
    const costs = await clients.router.getCosts({ sessionId: created.id }, withToken(alice));
    expect(costs.total?.requests).toBe(2);
    expect(costs.byModel.map((line) => line.key)).toEqual([MODEL]);
    const orgCosts = await clients.router.getCosts({}, withToken(alice));
    expect(orgCosts.total?.costUsd).toBeGreaterThanOrEqual(costs.total?.costUsd ?? 0);
    expect((await clients.router.getCosts({}, withToken(bob))).total?.requests).toBe(0);
  });

  it("a Resume watcher on another connection sees the run live, in order", async () => {
    const created = await clientSession(alice);
    const watcher = gatewayClients(cluster.gatewayAddress);
    const controller = new AbortController();
    const seen: number[] = [];
    const watching = (async () => {
      try {
        for await (const event of watcher.session.resume(
          { sessionId: created.id, afterSeq: 0 },
          { ...withToken(alice), signal: controller.signal },
        )) {
          seen.push(event.seq);
          if (event.kind?.$case === "turnEnd") controller.abort();
        }
      } catch {
        // aborted
      }
    })();
    const events = await drive(clients.session, created.id, "say hi", alice);
    await watching;
    watcher.close();
    expect(seen).toEqual([1, ...events.map((event) => event.seq)]);
  });

  it("refuses a second message while a run is in progress, and bad input, with clear codes", async () => {
    const created = await clientSession(alice);
    const first = clients.session.sendMessage(
      { sessionId: created.id, text: "slow please" },
      withToken(alice),
    );
    const iterator = first[Symbol.asyncIterator]();
    await iterator.next(); // the run has started
    const again = () =>
      clients.session.sendMessage({ sessionId: created.id, text: "again" }, withToken(alice));
    expect(await statusOf(again)).toBe(Status.FAILED_PRECONDITION);
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {}
    expect(
      await statusOf(() =>
        clients.session.sendMessage({ sessionId: created.id, text: "  " }, withToken(alice)),
      ),
    ).toBe(Status.INVALID_ARGUMENT);
    expect(
      await statusOf(
        clients.session.createSession(
          { cwd: "relative/dir", toolLocation: ToolLocation.TOOL_LOCATION_CLIENT },
          withToken(alice),
        ),
      ),
    ).toBe(Status.INVALID_ARGUMENT);
    // This deployment runs tools on clients only.
    expect(await statusOf(clients.session.createSession({ cwd: cluster.dir }, withToken(alice)))).toBe(
      Status.FAILED_PRECONDITION,
    );
    // Nothing to approve or answer on an idle session.
    expect(
      await statusOf(
        clients.session.submitToolResult({ sessionId: created.id, callId: "nope" }, withToken(alice)),
      ),
    ).toBe(Status.FAILED_PRECONDITION);
  });
});
