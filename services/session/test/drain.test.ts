import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connectRedis } from "@toad/platform";
import { type AgentEvent, PermissionMode, SessionServiceDefinition, ToolLocation } from "@toad/proto";
import type { RunningApp } from "@toad/service-kit";
import { startRouterServer } from "@toad/service-router";
import { type MockLlmServer, startMockLlm } from "@toad/testkit";
import { ClientError, createChannel, createClient, Status } from "nice-grpc";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { freePort, startRedis, type TestServer } from "../../../packages/platform/test/support/servers.js";

const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
});

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

interface Started {
  child: ChildProcess;
  port: number;
  exited: Promise<{ code: number | null; log: string }>;
}

async function startSessionProcess(env: NodeJS.ProcessEnv): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: { ...env, TOAD_GRPC_PORT: String(port), TOAD_METRICS_PORT: String(await freePort()) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('"serving')) resolve();
    });
    child.once("exit", () => reject(new Error(`session service exited:\n${log}`)));
  });
  const exited = new Promise<{ code: number | null; log: string }>((resolve) =>
    child.once("exit", (code) => resolve({ code, log })),
  );
  await ready;
  return { child, port, exited };
}

async function setUp(drainMs: number) {
  const dir = await realpath(await mkdtemp(join(tmpdir(), "toad-drain-")));
  const llm: MockLlmServer = await startMockLlm({
    // About 1.5 s of streaming: long enough to send SIGTERM mid-turn.
    script: [
      {
        content: [{ type: "text", text: Array.from({ length: 30 }, (_, i) => `w${i}`).join(" ") }],
        tokensPerSecond: 20,
      },
    ],
  });
  const redis: TestServer = await startRedis();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: join(dir, "home"),
    TOAD_CONFIG_HOME: join(dir, "config"),
    ANTHROPIC_API_KEY: "sk-ant-test",
    ANTHROPIC_BASE_URL: llm.url,
    REDIS_URL: redis.url,
    TOAD_GRPC_PORT: "0",
    TOAD_METRICS_PORT: "0",
    TOAD_LOG_LEVEL: "info",
    TOAD_DRAIN_TIMEOUT_MS: String(drainMs),
  };
  const router: RunningApp = await startRouterServer({ ...env, TOAD_LOG_LEVEL: "error" });
  const session = await startSessionProcess({ ...env, TOAD_ROUTER_URL: `127.0.0.1:${router.port}` });
  const channel = createChannel(`127.0.0.1:${session.port}`);
  const client = createClient(SessionServiceDefinition, channel);
  cleanup.push(async () => {
    channel.close();
    session.child.kill("SIGKILL");
    await router.shutdown();
    await llm.close();
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const created = await client.createSession({
    cwd: dir,
    model: "claude-sonnet-4-5",
    permissionMode: PermissionMode.PERMISSION_MODE_ASK,
    toolLocation: ToolLocation.TOOL_LOCATION_CLIENT,
  });
  return { client, session, created, redisUrl: redis.url };
}

describe("session service: SIGTERM drains", () => {
  it("lets a run in progress finish its turn, refuses new calls, then exits 0", async () => {
    const { client, session, created } = await setUp(10_000);
    const events: AgentEvent[] = [];
    const stream = client.sendMessage({ sessionId: created.id, text: "tell me a long story" });
    let signalled = 0;
    let refused: Status | undefined;
    for await (const event of stream) {
      events.push(event);
      if (event.kind?.$case === "textDelta" && signalled === 0) {
        signalled = Date.now();
        session.child.kill("SIGTERM");
        await new Promise((resolve) => setTimeout(resolve, 100));
        refused = await client.getSession({ sessionId: created.id }).then(
          () => undefined,
          (error: unknown) => (error instanceof ClientError ? error.code : undefined),
        );
      }
    }
    const last = events.at(-1);
    expect(last?.kind).toEqual({ $case: "turnEnd", value: { turn: 1, stopReason: 1 } }); // end_turn, not cancelled
    expect(events.filter((event) => event.kind?.$case === "textDelta").length).toBe(30);
    expect(refused).toBe(Status.UNAVAILABLE);
    const { code, log } = await session.exited;
    expect(code).toBe(0);
    expect(log).toContain("SIGTERM: draining");
    expect(Date.now() - signalled).toBeLessThan(10_000);
  });

  it("stops what does not finish by the deadline, leaves it recorded for recovery, and exits 0", async () => {
    const { client, session, created, redisUrl } = await setUp(300);
    const events: AgentEvent[] = [];
    let signalled = 0;
    let ended: Status | "ok" = "ok";
    try {
      for await (const event of client.sendMessage({ sessionId: created.id, text: "tell me a long story" })) {
        events.push(event);
        if (event.kind?.$case === "textDelta" && signalled === 0) {
          signalled = Date.now();
          session.child.kill("SIGTERM");
        }
      }
    } catch (error) {
      ended = error instanceof ClientError ? error.code : Status.UNKNOWN;
    }
    // The log has the cancelled turn; the stream says "unavailable" so the client resumes elsewhere.
    expect(events.at(-1)?.kind).toEqual({ $case: "turnEnd", value: { turn: 1, stopReason: 7 } });
    expect(ended).toBe(Status.UNAVAILABLE);
    expect((await session.exited).code).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(5_000);
    const redis = connectRedis({ url: redisUrl });
    expect(await redis.exists(`run:${created.id}`)).toBe(1);
    await redis.quit();
  });
});
