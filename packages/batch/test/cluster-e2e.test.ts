import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { connectNats, IdentityDirectory, MemoryKeyValueStore, NatsBatchResults } from "@toad/platform";
import type { RunningApp } from "@toad/service-kit";
import { type MockLlmServer, startMockLlm } from "@toad/testkit";
import { ClientError, Status } from "nice-grpc-common";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batchCommand } from "../../../cli/src/commands/batch.js";
import { connectGateway } from "../../../cli/src/remote/index.js";
import { startGatewayServer } from "../../../services/gateway/src/index.js";
import { startNats, type TestServer } from "../../platform/test/support/servers.js";
import type { RunRecord } from "../src/index.js";
import { bundleEntry, type ChildRun, runChild } from "./child.js";
import { buildFixture, type Fixture, MODEL, oracle, tempDir, treeAfter } from "./helpers.js";

/**
 * `toad batch run --gateway` end to end on real NATS: the CLI command
 * submits through the real gateway, three batch-worker processes (the
 * session service's entry with TOAD_WORKER=batch) take the jobs, the
 * scripted model applies each instance's gold patch, and the worker holding
 * one instance is SIGKILLed mid-instance. Its job goes to another worker;
 * the run ends with exactly one prediction per instance, each the gold
 * patch's change at base_commit.
 */
const IDS = Array.from({ length: 6 }, (_, index) => `acme__widgets-${index + 1}`);
const CASES = IDS.map((id, index) => ({
  id,
  base: index % 2 === 0 ? ("first" as const) : ("second" as const),
  edit: {
    "pkg/calc.py": `def add(a, b):\n    return a + b + ${index}\n\n\ndef mul(a, b):\n    return a * b\n`,
    [`pkg/extra_${index}.py`]: `N = ${index}\n`,
  },
}));
const VICTIM = "acme__widgets-3";
const WORKERS = 3;

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

let root: { path: string; cleanup(): Promise<void> };
let fixture: Fixture;
let llm: MockLlmServer;
let nats: TestServer;
let gateway: RunningApp;
let bundle: { file: string; cleanup(): Promise<void> };
let token: string;
let otherToken: string;
let orgId: string;
let holding = true;
const held = deferred();
const released = deferred();
const workers: ChildRun[] = [];

beforeAll(async () => {
  root = await tempDir("toad-batch-cluster-");
  fixture = await buildFixture(root.path, CASES);
  // The victim's first model call never answers: its worker is killed while it waits.
  const scripted = oracle(fixture.instances, {}, (id, step) => {
    if (!holding || id !== VICTIM || step !== 0) return undefined;
    held.resolve();
    return released.promise;
  });
  [llm, nats, bundle] = await Promise.all([
    startMockLlm({ responder: scripted.responder }),
    startNats(),
    bundleEntry(fileURLToPath(new URL("../../../services/session/src/main.ts", import.meta.url))),
  ]);
  for (let n = 1; n <= WORKERS; n++) {
    const worker = runChild(
      bundle.file,
      [],
      {
        PATH: process.env.PATH,
        HOME: join(root.path, "home"),
        TOAD_CONFIG_HOME: join(root.path, "config"),
        TOAD_WORKER: "batch",
        NATS_URL: nats.url,
        TOAD_BATCH_REPOS: fixture.reposDir,
        TOAD_BATCH_WORK_DIR: join(root.path, `worker-${n}`),
        TOAD_BATCH_ACK_WAIT_MS: "1500",
        POD_NAME: `worker-${n}`,
        ANTHROPIC_API_KEY: "sk-ant-test",
        ANTHROPIC_BASE_URL: llm.url,
      },
      root.path,
    );
    workers.push(worker);
  }
  const kv = new MemoryKeyValueStore();
  const identity = new IdentityDirectory(kv);
  const org = await identity.createOrg("acme");
  orgId = org.id;
  token = (
    await identity.issueToken((await identity.createUser(org.id, "ada")).id, { name: "t", scopes: ["*"] })
  ).token;
  const other = await identity.createOrg("globex");
  otherToken = (
    await identity.issueToken((await identity.createUser(other.id, "bob")).id, { name: "t", scopes: ["*"] })
  ).token;
  gateway = await startGatewayServer(
    {
      PATH: process.env.PATH,
      NATS_URL: nats.url,
      // Upstreams the batch path never calls (channels connect lazily).
      TOAD_SESSION_URL: "127.0.0.1:9",
      TOAD_ROUTER_URL: "127.0.0.1:9",
      TOAD_GRPC_PORT: "0",
      TOAD_METRICS_PORT: "0",
      TOAD_LOG_LEVEL: "error",
      TOAD_BATCH_ORG_LIMIT: "4",
    },
    { kv },
  );
  await Promise.all(
    workers.map((worker) =>
      until(() => worker.stderr().includes("taking jobs"), 20_000).catch(() => {
        throw new Error(`a worker did not start:\n${worker.stderr()}`);
      }),
    ),
  );
}, 60_000);

afterAll(async () => {
  released.resolve();
  for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill("SIGKILL");
  await gateway?.shutdown();
  await llm?.close();
  await nats?.stop();
  await bundle?.cleanup();
  await root?.cleanup();
});

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function toadBatch(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const code = await batchCommand.run(args, {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env: { PATH: process.env.PATH, TOAD_TOKEN: token },
    cwd: root.path,
  });
  return { code, stdout: out, stderr: err };
}

const runArgs = () => [
  "run",
  "--dataset",
  fixture.datasetPath,
  "--out",
  join(root.path, "out"),
  "--gateway",
  `127.0.0.1:${gateway.port}`,
  "--model",
  MODEL,
  "--context",
  "off",
  "--output-format",
  "json",
];

describe("toad batch run --gateway, on NATS with three worker processes", () => {
  it("a worker killed mid-instance: N instances in, N predictions out, none duplicated", async () => {
    const started = performance.now();
    const run = toadBatch(runArgs());
    await held.promise;
    // The worker whose log says it took the victim is the one waiting on the model: kill it.
    const victim = workers.find((worker) =>
      /started [\w-]+\/acme__widgets-3 attempt 1/.test(worker.stderr()),
    );
    if (!victim) throw new Error("no worker took the victim");
    victim.child.kill("SIGKILL");
    const killedAt = performance.now();
    holding = false;
    released.resolve();
    const { code, stdout, stderr } = await run;
    const ended = performance.now();
    const seconds = (ended - started) / 1000;
    expect(code, stderr).toBe(0);
    const summary = JSON.parse(stdout) as { instances: number; nonEmptyPatches: number; errors: number };
    expect(summary).toMatchObject({ instances: IDS.length, nonEmptyPatches: IDS.length, errors: 0 });

    const lines = (await readFile(join(root.path, "out", "predictions.jsonl"), "utf8")).trim().split("\n");
    const predictions = lines.map(
      (line) => JSON.parse(line) as { instance_id: string; model_patch: string; model_name_or_path: string },
    );
    expect(predictions.map((prediction) => prediction.instance_id).sort()).toEqual([...IDS].sort());
    const mirror = join(fixture.reposDir, "acme__widgets.git");
    for (const prediction of predictions) {
      const instance = fixture.instances.find(
        (candidate) => candidate.instance_id === prediction.instance_id,
      );
      const scratch = join(root.path, "scratch");
      expect(prediction.model_name_or_path).toBe(`toad-${MODEL}`);
      expect(treeAfter(mirror, instance?.base_commit ?? "", prediction.model_patch, scratch)).toBe(
        treeAfter(mirror, instance?.base_commit ?? "", instance?.patch ?? "", scratch),
      );
    }

    // The results stream holds one result per instance; the victim's came from another worker, on redelivery.
    const record = JSON.parse(await readFile(join(root.path, "out", "run.json"), "utf8")) as RunRecord;
    const runId = record.cluster?.runId ?? "";
    expect(record.cluster?.gateway).toBe(`127.0.0.1:${gateway.port}`);
    const nc = await connectNats({ servers: nats.url });
    try {
      const results = await NatsBatchResults.open(nc);
      expect([...(await results.finished(orgId, runId))].sort()).toEqual([...IDS].sort());
      const victimResult = await results.find(orgId, runId, VICTIM);
      expect(victimResult?.attempt).toBeGreaterThanOrEqual(2);
      expect(victimResult?.worker).not.toBe(`worker-${workers.indexOf(victim) + 1}`);
      // A second worker finishing the same instance cannot add a second result.
      if (!victimResult) throw new Error("no result for the victim");
      expect(await results.publish({ ...victimResult, worker: "late-worker", attempt: 9 })).toBe("duplicate");
      expect((await results.find(orgId, runId, VICTIM))?.worker).toBe(victimResult.worker);
    } finally {
      await nc.drain();
    }
    process.stderr.write(
      `cluster batch: ${IDS.length} instances over ${WORKERS} worker processes in ${seconds.toFixed(1)} s ` +
        `(${((IDS.length / seconds) * 60).toFixed(1)} instances/min, including the ${((ended - killedAt) / 1000).toFixed(1)} s after the kill)\n`,
    );
  }, 40_000);

  it("a rerun over the same folder redoes nothing and keeps one prediction per instance", async () => {
    const before = await readFile(join(root.path, "out", "predictions.jsonl"), "utf8");
    const { code, stdout } = await toadBatch(runArgs());
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ instances: IDS.length, ran: 0 });
    expect(await readFile(join(root.path, "out", "predictions.jsonl"), "utf8")).toBe(before);
  });

  it("through the gateway a run is its org's: another org's token cannot see its results", async () => {
    const record = JSON.parse(await readFile(join(root.path, "out", "run.json"), "utf8")) as RunRecord;
    const runId = record.cluster?.runId ?? "";
    const watch = async (secret: string) => {
      const connection = connectGateway({ url: `127.0.0.1:${gateway.port}`, token: secret });
      const seen: string[] = [];
      try {
        for await (const { update } of connection.batch.watchRun({ runId })) {
          if (update?.$case === "result") seen.push(update.value.instanceId);
        }
        return seen;
      } finally {
        connection.close();
      }
    };
    expect((await watch(token)).sort()).toEqual([...IDS].sort());
    const refused = await watch(otherToken).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ClientError);
    expect((refused as ClientError).code).toBe(Status.NOT_FOUND);
  });
});
