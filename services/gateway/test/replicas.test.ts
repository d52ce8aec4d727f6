import { type AgentEvent, SessionServiceDefinition, ToolLocation } from "@toad/proto";
import { createChannel, createClient } from "nice-grpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, MODEL, startCluster } from "./support/cluster.js";
import { SCRIPTED_MODEL } from "./support/scripted.js";

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ llm: SCRIPTED_MODEL, nats: true });
}, 30_000);
afterAll(async () => {
  await cluster?.stop();
});

const connect = (port: number) => {
  const channel = createChannel(`127.0.0.1:${port}`);
  return { client: createClient(SessionServiceDefinition, channel), close: () => channel.close() };
};

describe("two session-service replicas on Redis and NATS JetStream", () => {
  it("a run on one replica is watched, and answered, through the other", async () => {
    const replicaB = await cluster.extraSession();
    const a = connect(cluster.session.port);
    const b = connect(replicaB.port);
    const created = await a.client.createSession({
      cwd: cluster.dir,
      model: MODEL,
      toolLocation: ToolLocation.TOOL_LOCATION_CLIENT,
    });

    // B follows the session live (events reach it through JetStream).
    const watched: AgentEvent[] = [];
    const controller = new AbortController();
    const watching = (async () => {
      try {
        for await (const event of b.client.resume({ sessionId: created.id }, { signal: controller.signal })) {
          watched.push(event);
          if (event.kind?.$case === "turnEnd" && event.kind.value.stopReason === 1) controller.abort();
        }
      } catch {
        // aborted
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 200));

    // The run is on A; the tool result goes to B, which routes it to A over NATS.
    const streamed: AgentEvent[] = [];
    for await (const event of a.client.sendMessage({ sessionId: created.id, text: "read notes.md" })) {
      if (event.seq === 0 && event.kind?.$case === "toolCallComplete") {
        expect((await b.client.getSession({ sessionId: created.id })).state).toBe(2); // RUNNING, seen from B
        await b.client.submitToolResult({
          sessionId: created.id,
          callId: event.kind.value.callId,
          output: "42",
        });
        continue;
      }
      streamed.push(event);
    }
    await watching;
    const logged = watched.filter((event) => event.seq > 0);
    const frames = watched.filter((event) => event.seq === 0);
    expect(logged.map((event) => event.seq)).toEqual([1, ...streamed.map((event) => event.seq)]);
    expect(logged.slice(1)).toEqual(streamed);
    // The delegated call reached B's watcher too, so a client attached there could have answered it.
    expect(frames.map((frame) => frame.kind?.$case)).toEqual(["toolCallComplete"]);
    expect((await b.client.getSession({ sessionId: created.id })).state).toBe(1); // IDLE
    a.close();
    b.close();
  });
});
