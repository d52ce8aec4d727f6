import { createChannel, createClient, createServer, type Server } from "nice-grpc";
import { ServerError, Status } from "nice-grpc-common";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AgentEvent,
  inProcessClient,
  type SessionServiceClient,
  SessionServiceDefinition,
  type SessionServiceImplementation,
  SessionState,
} from "../src/index.js";

/**
 * The seam: the same implementation object serves the embedded wiring
 * (in-process client) and the cluster wiring (a real gRPC server on loopback,
 * called through nice-grpc). Both clients must behave the same.
 */
function fakeSessions(): SessionServiceImplementation & { cancelled: string[] } {
  const cancelled: string[] = [];
  return {
    cancelled,
    async createSession(request) {
      return { id: `ses_${request.cwd.length}`, cwd: request.cwd, state: SessionState.SESSION_STATE_IDLE };
    },
    async getSession(request) {
      throw new ServerError(Status.NOT_FOUND, `session ${request.sessionId} not found`);
    },
    async listSessions() {
      return { sessions: [{ id: "a" }, { id: "b", costUsd: 0.5 }] };
    },
    async *sendMessage(request, context) {
      try {
        for (let seq = 1; seq <= 1000; seq++) {
          if (context.signal.aborted) return;
          yield {
            sessionId: request.sessionId,
            seq,
            kind: { $case: "textDelta", value: { text: `${seq}` } },
          };
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      } finally {
        if (context.signal.aborted) cancelled.push(request.sessionId);
      }
    },
    async approve() {
      return {};
    },
    async submitToolResult() {
      return {};
    },
    async cancel() {
      return {};
    },
    async *resume(request) {
      yield {
        sessionId: request.sessionId,
        seq: request.afterSeq + 1,
        kind: { $case: "turnEnd", value: { turn: 1, stopReason: 1 } },
      };
    },
  };
}

const wirings: [string, () => { client: SessionServiceClient; impl: ReturnType<typeof fakeSessions> }][] = [];
let server: Server;
const grpcImpl = fakeSessions();
let grpcClient: SessionServiceClient;

beforeAll(async () => {
  server = createServer();
  server.add(SessionServiceDefinition, grpcImpl);
  const port = await server.listen("127.0.0.1:0");
  grpcClient = createClient(SessionServiceDefinition, createChannel(`127.0.0.1:${port}`));
});
afterAll(async () => {
  await server.shutdown();
});

const embeddedImpl = fakeSessions();
wirings.push([
  "embedded (in-process)",
  () => ({ client: inProcessClient(SessionServiceDefinition, embeddedImpl), impl: embeddedImpl }),
]);
wirings.push(["cluster (gRPC on loopback)", () => ({ client: grpcClient, impl: grpcImpl })]);

describe.each(wirings)("SessionService through the %s client", (_name, wiring) => {
  it("fills proto defaults on requests and responses", async () => {
    const { client } = wiring();
    const session = await client.createSession({ cwd: "/repo" });
    expect(session).toMatchObject({ id: "ses_5", cwd: "/repo", model: "", costUsd: 0, lastSeq: 0 });
    const list = await client.listSessions({});
    expect(list.sessions.map((s) => [s.id, s.costUsd])).toEqual([
      ["a", 0],
      ["b", 0.5],
    ]);
  });

  it("surfaces server errors with their status code", async () => {
    const { client } = wiring();
    await expect(client.getSession({ sessionId: "nope" })).rejects.toMatchObject({
      code: Status.NOT_FOUND,
      details: "session nope not found",
    });
  });

  it("streams events and stops the implementation when the caller stops reading", async () => {
    const { client, impl } = wiring();
    const received: AgentEvent[] = [];
    for await (const event of client.sendMessage({ sessionId: "s1", text: "hi" })) {
      received.push(event);
      if (received.length === 3) break;
    }
    expect(received.map((e) => (e.kind?.$case === "textDelta" ? e.kind.value.text : ""))).toEqual([
      "1",
      "2",
      "3",
    ]);
    await expect.poll(() => impl.cancelled.includes("s1"), { timeout: 2000 }).toBe(true);
  });

  it("stops the stream when the caller aborts", async () => {
    const { client, impl } = wiring();
    const controller = new AbortController();
    let count = 0;
    const consume = (async () => {
      for await (const _event of client.sendMessage({ sessionId: "s2" }, { signal: controller.signal })) {
        count++;
        if (count === 2) controller.abort();
      }
    })();
    await expect(consume).rejects.toMatchObject({ name: "AbortError" });
    await expect.poll(() => impl.cancelled.includes("s2"), { timeout: 2000 }).toBe(true);
  });

  it("resumes after a sequence number", async () => {
    const { client } = wiring();
    const events: AgentEvent[] = [];
    for await (const event of client.resume({ sessionId: "s3", afterSeq: 41 })) events.push(event);
    expect(events).toHaveLength(1);
    expect(events[0]?.seq).toBe(42);
  });
});
