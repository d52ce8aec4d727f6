import { startBatchWorker } from "@toad/batch";
import type { BatchJob, BatchResultRecord, JobHandler } from "@toad/platform";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";

const JOB: BatchJob = {
  runId: "run-1",
  orgId: "org-a",
  instance: {
    instance_id: "demo__calc-1",
    repo: "demo/calc",
    base_commit: "0".repeat(40),
    problem_statement: "x",
  },
  settings: { model: "claude-sonnet-4-5", ablations: { contextPreload: false, testSelection: false } },
  useHints: false,
  modelNameOrPath: "toad",
};

/**
 * The last delivery of a job whose earlier workers all died: the worker
 * publishes an error result without running it (the repository cache here
 * is empty, so running it would fail differently). The queue is a stand-in
 * that hands the handler one delivery; the cluster test drives real NATS.
 */
describe("a batch worker on a job's last delivery", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function deliver(attempt: number) {
    const dir = await tempDir("toad-give-up-");
    cleanups.push(dir.cleanup);
    const published: BatchResultRecord[] = [];
    let handler: JobHandler<BatchJob> | undefined;
    const worker = await startBatchWorker({
      jobs: {
        async work(given) {
          handler = given;
          return { stop: async () => {} };
        },
      },
      results: {
        find: async () => undefined,
        publish: async (record) => {
          published.push(record);
          return "stored";
        },
      },
      reposDir: `${dir.path}/repos`,
      workRoot: `${dir.path}/work`,
      concurrency: 1,
      name: "worker-1",
      modelFor: () => {
        throw new Error("the model must not be asked");
      },
      logger: { info() {}, warn() {} },
      maxAttempts: 5,
    });
    const outcome = await handler?.(JOB, {
      jobId: "run-1/demo__calc-1",
      attempt,
      headers: {},
      signal: new AbortController().signal,
    });
    await worker.stop();
    return { outcome, published };
  }

  it("ends the instance with an error result instead of running it again", async () => {
    const { outcome, published } = await deliver(5);
    expect(outcome).toEqual({ ok: true });
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      instanceId: "demo__calc-1",
      attempt: 5,
      outcome: { status: "error", patch: "", turns: 0 },
    });
    expect(published[0]?.outcome.error).toMatch(/the 4 workers that took this instance stopped or died/);
  });

  it("runs earlier deliveries (here: fails on the missing mirror, and says so)", async () => {
    const { published } = await deliver(4);
    expect(published).toHaveLength(1);
    expect(published[0]?.outcome.status).toBe("error");
    expect(published[0]?.outcome.error).not.toMatch(/stopped or died/);
  });
});
