import { readdir, readFile, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type MockLlmServer, startMockLlm } from "@toad/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleChild, runChild } from "./child.js";
import { buildFixture, type Fixture, MODEL, oracle, tempDir, treeAfter } from "./helpers.js";

/**
 * The batch as a real process (the `toad batch` command module), killed
 * with SIGKILL while an instance is in flight, then run again: it finishes
 * the rest without redoing the finished ones, and ends with exactly one
 * prediction per instance.
 */
const IDS = ["acme__widgets-1", "acme__widgets-2", "acme__widgets-3", "acme__widgets-4", "acme__widgets-5"];
const CALC = (body: string) => `def add(a, b):\n    return ${body}\n\n\ndef mul(a, b):\n    return a * b\n`;
const CASES = IDS.map((id, index) => ({
  id,
  base: index % 2 === 0 ? ("first" as const) : ("second" as const),
  edit: { "pkg/calc.py": CALC(`a + b + ${index}`), [`pkg/extra_${index}.py`]: `N = ${index}\n` },
}));

let root: { path: string; cleanup(): Promise<void> };
let fixture: Fixture;
let llm: MockLlmServer;
let script: string;
let requests: Map<string, number>;
function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
let holding = true;
let held = deferred();
const released = deferred();

beforeAll(async () => {
  root = await tempDir("toad-batch-kill-");
  fixture = await buildFixture(root.path, CASES);
  // In the first run the fourth instance's model call never answers: the batch is killed while it waits.
  const scripted = oracle(fixture.instances, {}, (id, step) => {
    if (!holding || id !== "acme__widgets-4" || step !== 0) return undefined;
    held.resolve();
    return released.promise;
  });
  requests = scripted.requests;
  llm = await startMockLlm({ responder: scripted.responder });
  script = await bundleChild("toad-batch");
}, 60_000);

afterAll(async () => {
  released.resolve();
  await llm?.close();
  await root?.cleanup();
  if (script) await rm(dirname(script), { recursive: true, force: true });
});

function batchArgs(): string[] {
  return [
    "run",
    "--dataset",
    fixture.datasetPath,
    "--repos",
    fixture.reposDir,
    "--out",
    join(root.path, "out"),
    "--work-dir",
    join(root.path, "work"),
    "--model",
    MODEL,
    "--workers",
    "2",
  ];
}

function env(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: join(root.path, "home"),
    TOAD_CONFIG_HOME: join(root.path, "config"),
    ANTHROPIC_API_KEY: "sk-ant-test",
    ANTHROPIC_BASE_URL: llm.url,
  };
}

async function predictionIds(): Promise<string[]> {
  const text = await readFile(join(root.path, "out", "predictions.jsonl"), "utf8").catch(() => "");
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { instance_id: string }).instance_id);
}

describe("toad batch run killed mid-run", () => {
  it("finishes the rest on rerun without redoing finished instances", async () => {
    const first = runChild(script, batchArgs(), env(), root.path);
    await held.promise;
    // Workers take instances in order, so the first three have ended or are about to.
    const deadline = Date.now() + 10_000;
    while ((await predictionIds()).length < 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    first.child.kill("SIGKILL");
    const killed = await first.exit;
    expect(killed.signal).toBe("SIGKILL");
    const doneBefore = await predictionIds();
    expect(doneBefore.length).toBeGreaterThanOrEqual(2);
    expect(doneBefore).not.toContain("acme__widgets-4");
    // The killed run's workspaces are still there; the rerun clears them before it starts.
    expect((await readdir(join(root.path, "work"))).length).toBeGreaterThan(0);

    // SIGTERM stops cleanly: the instance in flight is not recorded, the exit code says interrupted.
    held = deferred();
    const stopped = runChild(script, batchArgs(), env(), root.path);
    await held.promise;
    stopped.child.kill("SIGTERM");
    expect((await stopped.exit).code).toBe(130);
    expect(stopped.stderr()).toMatch(/stopping; unfinished instances run again next time/);
    const doneBeforeRerun = await predictionIds();
    expect(doneBeforeRerun).not.toContain("acme__widgets-4");
    expect(doneBeforeRerun).toEqual(expect.arrayContaining(doneBefore));

    holding = false;
    const before = new Map(requests);
    const second = runChild(script, batchArgs(), env(), root.path);
    const ended = await second.exit;
    expect(second.stderr()).toMatch(/5\/5 done/);
    expect(ended.code).toBe(0);

    const after = await predictionIds();
    expect([...after].sort()).toEqual(IDS);
    for (const id of doneBeforeRerun) expect(requests.get(id)).toBe(before.get(id));
    for (const id of IDS.filter((id) => !doneBeforeRerun.includes(id))) {
      expect(requests.get(id) ?? 0).toBeGreaterThan(before.get(id) ?? 0);
    }
    expect(second.stdout()).toMatch(/finished\s+5 \(\d this run, \d already done\)/);

    // Every prediction yields the gold patch's files at its base commit.
    const predictions = (await readFile(join(root.path, "out", "predictions.jsonl"), "utf8"))
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { instance_id: string; model_patch: string });
    const mirror = join(fixture.reposDir, "acme__widgets.git");
    const scratch = join(root.path, "scratch");
    for (const instance of fixture.instances) {
      const prediction = predictions.find((p) => p.instance_id === instance.instance_id);
      expect(treeAfter(mirror, instance.base_commit, prediction?.model_patch ?? "", scratch)).toBe(
        treeAfter(mirror, instance.base_commit, instance.patch ?? "", scratch),
      );
    }
    expect(await readdir(join(root.path, "work"))).toEqual([]);
  }, 60_000);
});
