import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { NatsConnection } from "@nats-io/transport-node";
import { type AgentEvent, stampEvent } from "@toad/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectNats, type Headers, NatsJobQueue, NatsSessionBus } from "../src/index.js";
import { startNats, type TestServer } from "./support/servers.js";

let nats: TestServer;
let nc: NatsConnection;
beforeAll(async () => {
  nats = await startNats();
  nc = await connectNats({ servers: nats.url });
});
afterAll(async () => {
  await nc?.drain();
  await nats?.stop();
});

const event = (sessionId: string, seq: number): AgentEvent =>
  stampEvent({ type: "text_delta", text: `t${seq}` }, { sessionId, seq, timestamp: 1 });

describe("NATS session bus", () => {
  it("fans every event out to every watcher, on any connection, in order, with its headers", async () => {
    const publisher = await NatsSessionBus.connect({ servers: nats.url });
    const watchers = await Promise.all([0, 1, 2].map(() => NatsSessionBus.connect({ servers: nats.url })));
    const seen: { seqs: number[]; headers: Headers[] }[] = watchers.map(() => ({ seqs: [], headers: [] }));
    const stops = await Promise.all(
      watchers.map((bus, index) =>
        bus.watch("ses.1", (received, headers) => {
          seen[index]?.seqs.push(received.seq);
          seen[index]?.headers.push(headers);
        }),
      ),
    );
    await publisher.publish(event("other", 1));
    for (let seq = 1; seq <= 20; seq++)
      await publisher.publish(event("ses.1", seq), { traceparent: `tp-${seq}` });
    await until(() => seen.every((watcher) => watcher.seqs.length === 20));
    for (const watcher of seen) {
      expect(watcher.seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(watcher.headers[4]).toEqual({ traceparent: "tp-5" });
    }
    for (const stop of stops) await stop();
    await Promise.all([publisher, ...watchers].map((bus) => bus.close()));
  });

  it("routes commands to the replica running the session; nobody running it answers undefined", async () => {
    const runner = await NatsSessionBus.connect({ servers: nats.url });
    const asker = await NatsSessionBus.connect({ servers: nats.url });
    expect(await asker.command("s2", { type: "status" })).toBeUndefined();
    const stop = await runner.serveRun("s2", (command) =>
      command.type === "cancel"
        ? { ok: true, state: "running", pendingCalls: [{ callId: "c", name: "bash", argumentsJson: "{}" }] }
        : { ok: false, code: "not_found", message: `no ${command.type}` },
    );
    expect(await asker.command("s2", { type: "cancel" })).toMatchObject({
      ok: true,
      pendingCalls: [{ callId: "c" }],
    });
    expect(await asker.command("s2", { type: "status" })).toMatchObject({ ok: false, message: "no status" });
    await stop();
    expect(await asker.command("s2", { type: "status" })).toBeUndefined();
    await runner.close();
    await asker.close();
  });
});

describe("NATS job queues", () => {
  it("acknowledges done jobs, retries failed ones, and runs each job once", async () => {
    const queue = await NatsJobQueue.open<{ n: number }>(nc, {
      kind: "batch",
      ackWaitMs: 2_000,
      retryDelayMs: 50,
    });
    const done: number[] = [];
    const attempts = new Map<number, number>();
    const worker = await queue.work(
      async ({ n }, context) => {
        attempts.set(n, context.attempt);
        if (n === 3 && context.attempt === 1) return { ok: false, retry: true, message: "flaky" };
        done.push(n);
        return { ok: true };
      },
      { concurrency: 3 },
    );
    for (let n = 1; n <= 6; n++) await queue.enqueue({ n }, { jobId: `job-${n}` });
    await queue.enqueue({ n: 1 }, { jobId: "job-1" }); // a duplicate id is queued once
    await until(() => done.length === 6);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect([...done].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(attempts.get(3)).toBe(2);
    await worker.stop();
  });

  it("a worker killed mid-job leaves the job to another worker, which finishes it", async () => {
    const child = fileURLToPath(new URL("./children/job-worker.mjs", import.meta.url));
    const built = fileURLToPath(new URL("../dist/index.js", import.meta.url));
    if (!existsSync(built)) throw new Error(`${built} is missing: run npm run build first`);
    const queue = await NatsJobQueue.open<{ repo: string }>(nc, { kind: "index", ackWaitMs: 1_000 });
    const doomed = spawn(process.execPath, [child, "index", nats.url, "1000"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    doomed.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    await until(() => output.includes("ready"), 10_000);
    const jobId = await queue.enqueue({ repo: "acme/api" });
    await until(() => output.includes(`started ${jobId} 1`), 5_000);
    const exited = new Promise((resolve) => doomed.once("exit", resolve));
    doomed.kill("SIGKILL");
    await exited;

    const killedAt = Date.now();
    const finished: { jobId: string; attempt: number; repo: string }[] = [];
    const survivor = await queue.work(async (payload, context) => {
      finished.push({ jobId: context.jobId, attempt: context.attempt, repo: payload.repo });
      return { ok: true };
    });
    await until(() => finished.length === 1, 10_000);
    expect(finished).toEqual([{ jobId, attempt: 2, repo: "acme/api" }]);
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // past another ack wait: no third delivery
    expect(finished).toHaveLength(1);
    await survivor.stop();
  });
});

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
