import { existsSync } from "node:fs";
import { join } from "node:path";
import { startMockLlm } from "@toad/testkit";
import { describe, expect, it } from "vitest";
import { loadDataset, RepoCache, runBatch } from "../src/index.js";
import { MODEL, modelFor, oracle, tempDir, treeAfter } from "./helpers.js";

/**
 * The oracle over real repositories: the SWE-bench Lite dev set
 * (shared/bench/swebench-lite-dev.jsonl) with its gold patches, run by the
 * batch over clones in /work/benchrepos (or $TOAD_BENCH_REPOS). Every
 * prediction must apply at base_commit and give the gold patch's files.
 * By default it runs the instances of flask and requests; set
 * TOAD_BATCH_DEV_ALL=1 for every repository that is present.
 */
const DATASET =
  process.env.TOAD_BENCH_DATASET ??
  join(import.meta.dirname, "../../../../shared/bench/swebench-lite-dev.jsonl");
const REPOS = process.env.TOAD_BENCH_REPOS ?? "/work/benchrepos";
const DEFAULT_REPOS = ["pallets/flask", "psf/requests"];

async function available(): Promise<{ reason: string } | { instancesOf: string[] }> {
  if (!existsSync(DATASET)) return { reason: `the dev set is not at ${DATASET} (set TOAD_BENCH_DATASET)` };
  const dataset = await loadDataset(DATASET);
  if (!dataset.ok) return { reason: dataset.error.message };
  const cache = new RepoCache({ dir: REPOS });
  const wanted = process.env.TOAD_BATCH_DEV_ALL
    ? [...new Set(dataset.value.map((i) => i.repo))]
    : DEFAULT_REPOS;
  const present: string[] = [];
  const missing: string[] = [];
  for (const repo of wanted) ((await cache.mirror(repo)).ok ? present : missing).push(repo);
  if (present.length === 0) {
    return {
      reason: `none of ${wanted.join(", ")} is in ${REPOS} (bring them with the fetch tool; set TOAD_BENCH_REPOS)`,
    };
  }
  if (missing.length > 0)
    process.stderr.write(`[batch] swebench-dev: skipping ${missing.join(", ")}: not in ${REPOS}\n`);
  return { instancesOf: present };
}

const setup = await available();
if ("reason" in setup) process.stderr.write(`[batch] skipping the SWE-bench dev-set test: ${setup.reason}\n`);

describe.skipIf("reason" in setup)("toad batch over the SWE-bench Lite dev set (oracle model)", () => {
  it("every prediction applies at base_commit and yields the gold patch's files", async () => {
    const repos = "instancesOf" in setup ? setup.instancesOf : [];
    const dataset = await loadDataset(DATASET);
    if (!dataset.ok) throw new Error(dataset.error.message);
    const instances = dataset.value.filter((instance) => repos.includes(instance.repo));
    const scripted = oracle(instances);
    const llm = await startMockLlm({ responder: scripted.responder });
    const root = await tempDir("toad-batch-dev-");
    try {
      const outcome = await runBatch({
        instances,
        dataset: { path: DATASET, sha256: "dev", selection: {} },
        outDir: join(root.path, "run"),
        reposDir: REPOS,
        workRoot: join(root.path, "work"),
        workers: 2,
        settings: { model: MODEL, ablations: { contextPreload: false, testSelection: false } },
        useHints: false,
        redoEmpty: false,
        toad: { version: "test", commit: "test" },
        modelFor: modelFor(llm.url),
        logger: { warn: () => undefined },
        signal: new AbortController().signal,
      });
      if (!outcome.ok) throw new Error(outcome.error.message);
      const { results, summary } = outcome.value;
      expect(summary).toMatchObject({
        finished: instances.length,
        errors: 0,
        nonEmptyPatches: instances.length,
      });
      const cache = new RepoCache({ dir: REPOS });
      for (const instance of instances) {
        const result = results.find((candidate) => candidate.instance_id === instance.instance_id);
        const mirror = await cache.mirror(instance.repo);
        if (!mirror.ok || !result) throw new Error(`no result or mirror for ${instance.instance_id}`);
        const scratch = join(root.path, "scratch");
        expect({
          id: instance.instance_id,
          tree: treeAfter(mirror.value.path, instance.base_commit, result.patch, scratch),
        }).toEqual({
          id: instance.instance_id,
          tree: treeAfter(mirror.value.path, instance.base_commit, instance.patch ?? "", scratch),
        });
      }
      process.stderr.write(
        `[batch] swebench-dev: ${instances.length} instances of ${repos.join(", ")}: wall p50 ${summary.wallP50Ms} ms, p90 ${summary.wallP90Ms} ms\n`,
      );
    } finally {
      await llm.close();
      await root.cleanup();
    }
  }, 120_000);
});
