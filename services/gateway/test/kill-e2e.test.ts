import { mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AgentEvent, parseEvent } from "@toad/core";
import { eventFromProto } from "@toad/core/proto";
import { connectRedis, IdentityDirectory, RedisKeyValueStore } from "@toad/platform";
import { startRouterServer } from "@toad/service-router";
import { startMockLlm } from "@toad/testkit";
import { describe, expect, it } from "vitest";
import { freePort, startNats, startRedis } from "../../../packages/platform/test/support/servers.js";
import { startGatewayServer } from "../src/index.js";
import { gatewayClients, withToken } from "./support/clients.js";
import { type SessionProcess, startSessionProcess } from "./support/session-process.js";
import { assertCliBuilt, finished, makeRepo, spawnToad } from "./support/toad.js";

const WORDS = 60;

describe("SIGKILL of the session service mid-turn", () => {
  it("the CLI run through the gateway completes after a restart, with no event lost or duplicated", async () => {
    assertCliBuilt();
    const dir = await realpath(await mkdtemp(join(tmpdir(), "toad-kill-")));
    // The recovered run asks the same question again (no new message), so the second request is the recovery's.
    let asked = 0;
    const llm = await startMockLlm({
      responder: () =>
        asked++ > 0
          ? { content: [{ type: "text", text: "Resumed and finished." }] }
          : {
              content: [{ type: "text", text: Array.from({ length: WORDS }, (_, i) => `w${i}`).join(" ") }],
              tokensPerSecond: 25,
            },
    });
    const [redis, nats] = await Promise.all([startRedis({ durable: true }), startNats()]);
    const base: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: join(dir, "home"),
      TOAD_CONFIG_HOME: join(dir, "config"),
      ANTHROPIC_API_KEY: "sk-ant-test",
      ANTHROPIC_BASE_URL: llm.url,
      REDIS_URL: redis.url,
      NATS_URL: nats.url,
      TOAD_METRICS_PORT: "0",
      TOAD_LOG_LEVEL: "warn",
    };
    const router = await startRouterServer({ ...base, TOAD_GRPC_PORT: "0", TOAD_LOG_LEVEL: "error" });
    const sessionPort = await freePort();
    const sessionEnv = {
      ...base,
      TOAD_GRPC_PORT: String(sessionPort),
      TOAD_ROUTER_URL: `127.0.0.1:${router.port}`,
      TOAD_LOG_LEVEL: "info", // startSessionProcess waits for the "serving" line
    };
    let session: SessionProcess = await startSessionProcess(sessionEnv);
    const gateway = await startGatewayServer({
      ...base,
      TOAD_GRPC_PORT: "0",
      TOAD_LOG_LEVEL: "error",
      TOAD_SESSION_URL: `127.0.0.1:${sessionPort}`,
      TOAD_ROUTER_URL: `127.0.0.1:${router.port}`,
    });
    const identityRedis = connectRedis({ url: redis.url });
    const identity = new IdentityDirectory(new RedisKeyValueStore(identityRedis, false));
    const user = await identity.createUser((await identity.createOrg("acme")).id, "dev");
    const { token } = await identity.issueToken(user.id, { name: "cli", scopes: ["*"] });
    const repo = await makeRepo(dir, {});
    try {
      const cli = spawnToad(
        [
          "-p",
          "count slowly",
          "--gateway",
          `127.0.0.1:${gateway.port}`,
          "--model",
          "claude-sonnet-4-5",
          "--output-format",
          "stream-json",
        ],
        {
          cwd: repo,
          env: {
            PATH: process.env.PATH,
            HOME: join(dir, "dev"),
            TOAD_DATA_DIR: join(dir, "dev-data"),
            TOAD_TOKEN: token,
          },
        },
      );
      const run = finished(cli);
      let printed = "";

      let killedAfter = 0;
      await new Promise<void>((resolve, reject) => {
        cli.stdout?.on("data", (chunk: Buffer) => {
          printed += chunk.toString();
          const deltas = printed.split("\n").filter((line) => line.includes('"text_delta"')).length;
          if (deltas >= 5 && killedAfter === 0) {
            killedAfter = deltas;
            resolve();
          }
        });
        cli.once("exit", (code) =>
          reject(new Error(`the CLI exited (${code}) before the kill:\n${printed}`)),
        );
      });
      const dead = session.exited;
      session.child.kill("SIGKILL");
      expect((await dead).code).toBeNull();
      session = await startSessionProcess(sessionEnv);
      const result = await run;
      expect(result.code).toBe(0);
      // The CLI said what happened, on stderr, and still printed a clean event stream on stdout.
      expect(result.stderr).toContain("following it until its run ends");
      const printedEvents = result.stdout.trim().split("\n").map(parseEvent);
      const seqs = printedEvents.map((event) => event.seq);
      expect(seqs).toEqual(seqs.map((_, index) => index + 1)); // gapless from 1, nothing twice
      const userMessages = printedEvents.flatMap((event) =>
        event.type === "user_message" ? [event.text] : [],
      );
      // The recovery left no message of its own: the cut turn was voided and asked again.
      expect(userMessages).toEqual(["count slowly"]);
      expect(printedEvents.filter((event) => event.type === "retry")).toMatchObject([
        { discardPartial: true },
      ]);
      expect(asked).toBe(2);
      expect(printedEvents.at(-1)).toMatchObject({ type: "turn_end", stopReason: "end_turn" });
      const lastText = printedEvents.slice(
        printedEvents.findLastIndex((event) => event.type === "turn_start"),
      );
      expect(lastText.flatMap((event) => (event.type === "text_delta" ? [event.text] : [])).join("")).toBe(
        "Resumed and finished.",
      );
      expect(session.log()).toContain("recovering the interrupted run");

      // What the client printed is exactly the session's log.
      const { session: client, close } = gatewayClients(`127.0.0.1:${gateway.port}`);
      const sessionId = printedEvents[0]?.sessionId ?? "";
      const stored: AgentEvent[] = [];
      const controller = new AbortController();
      try {
        for await (const event of client.resume(
          { sessionId },
          { ...withToken(token), signal: controller.signal },
        )) {
          stored.push(eventFromProto(event));
          if (event.seq === printedEvents.length) break;
        }
      } finally {
        controller.abort();
        close();
      }
      expect(stored).toEqual(printedEvents);
    } finally {
      session.child.kill("SIGKILL");
      await gateway.shutdown();
      await router.shutdown();
      await identityRedis.quit();
      await llm.close();
      await nats.stop();
      await redis.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
