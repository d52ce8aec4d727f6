import { eventFromProto } from "@toad/core/proto";
import { type AgentEvent, PermissionMode, ToolLocation } from "@toad/proto";
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

describe("session starts over the gateway's limit (TOAD_GATEWAY_MAX_STARTS)", () => {
  it("wait their turn and all complete; a run waiting on its client holds no slot", async () => {
    const limited = await cluster.extraGateway({ TOAD_GATEWAY_MAX_STARTS: "1" });
    const through = gatewayClients(`127.0.0.1:${limited.port}`);
    try {
      const session = (token: string) =>
        through.session.createSession(
          { cwd: cluster.dir, model: MODEL, toolLocation: ToolLocation.TOOL_LOCATION_CLIENT },
          withToken(token),
        );
      // A run that delegated a tool call and waits for the answer: started, so its slot is free again.
      const waiting = await session(alice);
      const stream = through.session
        .sendMessage({ sessionId: waiting.id, text: "read a.txt" }, withToken(alice))
        [Symbol.asyncIterator]();
      let delegated: AgentEvent | undefined;
      while (!delegated) {
        const next = await stream.next();
        if (next.done) throw new Error("the run ended before delegating its tool call");
        if (next.value.seq === 0) delegated = next.value;
      }

      // Six sessions started at once through one slot: each completes.
      const outcomes = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const created = await session(bob);
          const events = (await drive(through.session, created.id, "hello", bob)).map(eventFromProto);
          return events.at(-1);
        }),
      );
      for (const last of outcomes) expect(last).toMatchObject({ type: "turn_end", stopReason: "end_turn" });

      // The waiting run still finishes once its client answers.
      if (delegated.kind?.$case !== "toolCallComplete") throw new Error("expected a delegated tool call");
      await through.session.submitToolResult(
        { sessionId: waiting.id, callId: delegated.kind.value.callId, output: "late answer", durationMs: 1 },
        withToken(alice),
      );
      const rest: AgentEvent[] = [];
      for (let next = await stream.next(); !next.done; next = await stream.next()) rest.push(next.value);
      expect(eventFromProto(rest.at(-1) as AgentEvent)).toMatchObject({ type: "turn_end" });

      const gauge = await limited.metrics.registry.getSingleMetricAsString("toad_gateway_session_starts");
      expect(gauge).toContain('toad_gateway_session_starts{state="running",toad_service="gateway"} 0');
      expect(gauge).toContain('toad_gateway_session_starts{state="waiting",toad_service="gateway"} 0');
    } finally {
      through.close();
    }
  });
});
