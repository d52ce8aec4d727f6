import { mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ModelClient, ModelRequest, ModelStreamEvent } from "@toad/core";
import { eventFromProto } from "@toad/core/proto";
import {
  type AgentEvent,
  Decision,
  inProcessClient,
  PermissionMode,
  type SessionServiceClient,
  SessionServiceDefinition,
  SessionState,
  ToolLocation,
} from "@toad/proto";
import { localTools } from "@toad/session";
import { MemorySessionStore } from "@toad/store";
import { ClientError, Status } from "nice-grpc-common";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createSessionService,
  MemoryKeyValueStore,
  MemorySessionBus,
  type SessionService,
  SessionSettingsStore,
} from "../src/index.js";

/** A model that calls one tool, then ends its turn quoting the result. */
function toolThenText(name: string, args: object): ModelClient {
  return {
    async *stream(request: ModelRequest): AsyncIterable<ModelStreamEvent> {
      yield { type: "turn_start", turn: request.turn, model: "m", provider: "test" };
      const last = request.messages.at(-1)?.content.at(-1);
      if (last?.type === "tool_result") {
        yield { type: "text_delta", text: `result: ${last.output}` };
        yield { type: "turn_end", turn: request.turn, stopReason: "end_turn" };
        return;
      }
      yield {
        type: "tool_call_complete",
        callId: `c${request.turn}`,
        name,
        argumentsJson: JSON.stringify(args),
      };
      yield { type: "turn_end", turn: request.turn, stopReason: "tool_use" };
    },
  };
}

let dir: string;
let service: SessionService;
let client: SessionServiceClient;
const quiet = { warn: () => {} };

function setUp(model: ModelClient, clientToolTimeoutMs = 60_000) {
  service = createSessionService({
    store: new MemorySessionStore(),
    settings: new SessionSettingsStore(new MemoryKeyValueStore()),
    bus: new MemorySessionBus(),
    modelFor: () => model,
    serverTools: (session, beforeWrite) =>
      localTools({ workspaceRoot: session.cwd, beforeWrite, logger: quiet }),
    clientToolTimeoutMs,
  });
  client = inProcessClient(SessionServiceDefinition, service);
}

beforeEach(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), "toad-session-service-")));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const code = (error: unknown) => (error instanceof ClientError ? error.code : error);

describe("session service (in process, the embedded wiring of the same object)", () => {
  it("server-side tools ask for approval on the stream; Approve lets the call run", async () => {
    await writeFile(join(dir, "a.txt"), "old");
    setUp(toolThenText("write_file", { path: "a.txt", content: "new" }));
    const session = await client.createSession({
      cwd: dir,
      model: "m",
      permissionMode: PermissionMode.PERMISSION_MODE_ASK,
      toolLocation: ToolLocation.TOOL_LOCATION_SANDBOX,
    });
    const events: AgentEvent[] = [];
    for await (const event of client.sendMessage({ sessionId: session.id, text: "edit a.txt" })) {
      events.push(event);
      if (event.kind?.$case === "approvalRequest") {
        expect((await client.getSession({ sessionId: session.id })).state).toBe(
          SessionState.SESSION_STATE_AWAITING_APPROVAL,
        );
        await expect(
          client.approve({ sessionId: session.id, requestId: "nope", decision: Decision.DECISION_ALLOW }),
        ).rejects.toSatisfy((error) => code(error) === Status.NOT_FOUND);
        await client.approve({
          sessionId: session.id,
          requestId: event.kind.value.requestId,
          decision: Decision.DECISION_ALLOW,
        });
      }
    }
    const types = events.map((event) => eventFromProto(event).type);
    expect(types).toContain("approval_decision");
    expect(await readFile(join(dir, "a.txt"), "utf8")).toBe("new");
    expect((await client.getSession({ sessionId: session.id })).state).toBe(SessionState.SESSION_STATE_IDLE);
  });

  it("images sent with a message reach the model as image blocks; a message of images alone is a message", async () => {
    const seen: ModelRequest[] = [];
    setUp({
      async *stream(request: ModelRequest): AsyncIterable<ModelStreamEvent> {
        seen.push(request);
        yield { type: "turn_start", turn: request.turn, model: "m", provider: "test" };
        yield { type: "text_delta", text: "a pixel" };
        yield { type: "turn_end", turn: request.turn, stopReason: "end_turn" };
      },
    });
    const session = await client.createSession({ cwd: dir, model: "m" });
    const png = Buffer.from("89504e470d0a1a0a", "hex");
    const image = { mediaType: "image/png", sha256: "a".repeat(64), data: png, source: "./shot.png" };
    for await (const _ of client.sendMessage({ sessionId: session.id, text: "", images: [image] }));
    expect(seen[0]?.messages.at(-1)?.content).toEqual([
      { type: "image", mediaType: "image/png", dataBase64: png.toString("base64"), source: "./shot.png" },
    ]);
    await expect(
      (async () => {
        for await (const _ of client.sendMessage({ sessionId: session.id, text: " " }));
      })(),
    ).rejects.toSatisfy((error) => code(error) === Status.INVALID_ARGUMENT);
  });

  it("a denied approval refuses the call; the model sees why", async () => {
    setUp(toolThenText("bash", { command: "touch x" }));
    const session = await client.createSession({ cwd: dir, model: "m" });
    const results = [];
    for await (const event of client.sendMessage({ sessionId: session.id, text: "run it" })) {
      if (event.kind?.$case === "approvalRequest") {
        await client.approve({
          sessionId: session.id,
          requestId: event.kind.value.requestId,
          decision: Decision.DECISION_DENY,
          reason: "not today",
        });
      }
      if (event.kind?.$case === "toolResult") results.push(event.kind.value);
    }
    expect(results).toMatchObject([
      { isError: true, errorKind: "denied", output: expect.stringContaining("not today") },
    ]);
  });

  it("a client that never answers a delegated call gets a timeout result; the run goes on", async () => {
    setUp(toolThenText("read_file", { path: "a.txt" }), 100);
    const session = await client.createSession({
      cwd: dir,
      model: "m",
      toolLocation: ToolLocation.TOOL_LOCATION_CLIENT,
    });
    const kinds = [];
    for await (const event of client.sendMessage({ sessionId: session.id, text: "read" })) {
      if (event.kind?.$case === "toolResult") kinds.push(event.kind.value.errorKind);
    }
    expect(kinds).toEqual(["timeout"]);
  });

  it("Cancel stops a run waiting on the client: the call is answered cancelled and the session is idle again", async () => {
    setUp(toolThenText("read_file", { path: "a.txt" }));
    const session = await client.createSession({
      cwd: dir,
      model: "m",
      toolLocation: ToolLocation.TOOL_LOCATION_CLIENT,
    });
    const seen = [];
    for await (const event of client.sendMessage({ sessionId: session.id, text: "read" })) {
      seen.push(event);
      if (event.seq === 0) await client.cancel({ sessionId: session.id });
    }
    const result = seen.find((event) => event.kind?.$case === "toolResult");
    expect(result?.kind).toMatchObject({ value: { errorKind: "cancelled" } });
    expect((await client.getSession({ sessionId: session.id })).state).toBe(SessionState.SESSION_STATE_IDLE);
    expect(service.activeRuns()).toBe(0);
    await expect(client.cancel({ sessionId: "ghost" })).rejects.toSatisfy(
      (error) => code(error) === Status.NOT_FOUND,
    );
  });

  it("plan mode refuses writes before anything reaches the client", async () => {
    setUp(toolThenText("write_file", { path: "a.txt", content: "x" }));
    const session = await client.createSession({
      cwd: dir,
      model: "m",
      permissionMode: PermissionMode.PERMISSION_MODE_PLAN,
      toolLocation: ToolLocation.TOOL_LOCATION_CLIENT,
    });
    const frames = [];
    const results = [];
    for await (const event of client.sendMessage({ sessionId: session.id, text: "write" })) {
      if (event.seq === 0) frames.push(event);
      if (event.kind?.$case === "toolResult") results.push(event.kind.value);
    }
    expect(frames).toEqual([]);
    expect(results).toMatchObject([{ errorKind: "denied" }]);
  });
});
