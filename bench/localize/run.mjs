#!/usr/bin/env node
// Bug localisation with no LLM on a SWE-bench-format set.
//
//   node bench/localize/run.mjs DATASET.jsonl REPOS_DIR [--limit N] [--lsa] [--verbose]
//
// For each instance: materialise `base_commit` from the repository's git dir in
// REPOS_DIR (`<name>.git`, `<name>`, or `<owner>__<name>`, bare or not) into a
// temp dir, index it with @toad/context, rank files and functions for the
// problem statement, and score against the gold `files` / `functions`.
// Needs `npm run build` first (it imports packages/context/dist).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const ctx = await import(join(here, "../../packages/context/dist/index.js"));

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith("--")));
const positional = args.filter((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--limit"));
const [dataset, reposDir] = positional;
if (!dataset || !reposDir) {
  console.error("usage: node bench/localize/run.mjs DATASET.jsonl REPOS_DIR [--limit N] [--lsa] [--verbose]");
  process.exit(2);
}
const limitAt = args.indexOf("--limit");
const limit = limitAt >= 0 ? Number(args[limitAt + 1]) : Number.POSITIVE_INFINITY;
const useLsa = flags.has("--lsa");
const verbose = flags.has("--verbose");

const instances = readFileSync(dataset, "utf8")
  .split("\n")
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l))
  .slice(0, limit);

function gitDirFor(repo) {
  const [owner, name] = repo.split("/");
  for (const candidate of [`${name}.git`, name, `${owner}__${name}`, `${owner}__${name}.git`]) {
    const dir = join(reposDir, candidate);
    if (existsSync(join(dir, ".git"))) return join(dir, ".git");
    if (existsSync(join(dir, "HEAD")) && existsSync(join(dir, "objects"))) return dir;
  }
  throw new Error(`no git dir for ${repo} in ${reposDir}`);
}

function materialise(gitDir, commit) {
  const dir = mkdtempSync(join(tmpdir(), "toad-localize-"));
  const archive = execFileSync("git", ["--git-dir", gitDir, "archive", "--format=tar", commit], {
    maxBuffer: 1024 * 1024 * 1024,
  });
  execFileSync("tar", ["-x", "-C", dir], { input: archive });
  return dir;
}

const K = [1, 5, 10];
const hits = Object.fromEntries(K.map((k) => [k, 0]));
let fnHits10 = 0;
let indexMs = 0;
let lsaMs = 0;
let queryMs = 0;
let files = 0;
const runtime = new ctx.TreeSitterRuntime();

for (const inst of instances) {
  const root = materialise(gitDirFor(inst.repo), inst.base_commit);
  const store = ctx.IndexStore.open(":memory:");
  try {
    const t0 = performance.now();
    const indexed = await ctx.indexRepository(root, store, () => {}, { runtime });
    const t1 = performance.now();
    indexMs += t1 - t0;
    files += indexed.files;
    let dense = {};
    if (useLsa) {
      const embedder = ctx.buildRepoLsa(store, { dimensions: 128 });
      const vectors = new ctx.MemoryVectorIndex();
      await ctx.embedChunks(store, embedder, vectors);
      dense = { embedder, vectors };
      lsaMs += performance.now() - t1;
    }
    const t2 = performance.now();
    const result = await ctx.localize(store, inst.problem_statement, dense);
    queryMs += performance.now() - t2;
    const ranked = result.files.map((f) => f.path);
    const rankOf = (path) => {
      const i = ranked.indexOf(path);
      return i < 0 ? Number.POSITIVE_INFINITY : i + 1;
    };
    const worst = Math.max(...inst.files.map(rankOf));
    for (const k of K) if (worst <= k) hits[k]++;
    const fnRanked = result.functions.map((f) => `${f.path}:${f.name}`);
    const fnWorst = Math.max(
      ...inst.functions.map((f) => {
        const i = fnRanked.indexOf(f);
        return i < 0 ? Number.POSITIVE_INFINITY : i + 1;
      }),
    );
    if (fnWorst <= 10) fnHits10++;
    console.log(
      `${inst.instance_id.padEnd(28)} files=${String(indexed.files).padStart(4)} index=${(t1 - t0).toFixed(0).padStart(5)}ms ` +
        `file-rank=${String(worst).padStart(3)} fn-rank=${String(fnWorst).padStart(3)}`,
    );
    if (verbose) {
      console.log(`   top: ${ranked.slice(0, 5).join(", ")}`);
      console.log(
        `   gold: ${inst.files.join(", ")}  reasons: ${result.files.find((f) => f.path === inst.files[0])?.reasons.join("; ")}`,
      );
      console.log(`   fn top: ${fnRanked.slice(0, 5).join(", ")}`);
    }
  } finally {
    store.close();
    rmSync(root, { recursive: true, force: true });
  }
}

const n = instances.length;
const pct = (x) => (x / n).toFixed(2);
console.log("");
console.log(`instances: ${n}${useLsa ? " (with LSA vectors)" : ""}`);
console.log(`file Acc@1 ${pct(hits[1])}  Acc@5 ${pct(hits[5])}  Acc@10 ${pct(hits[10])}`);
console.log(`function Acc@10 ${pct(fnHits10)}`);
console.log(
  `index time: total ${(indexMs / 1000).toFixed(1)} s, mean ${(indexMs / n).toFixed(0)} ms/instance, ` +
    `${((files / indexMs) * 1000).toFixed(0)} files/s`,
);
if (useLsa) console.log(`LSA build + embed: mean ${(lsaMs / n).toFixed(0)} ms/instance`);
console.log(`query time: mean ${(queryMs / n).toFixed(0)} ms/instance`);
