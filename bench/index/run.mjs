#!/usr/bin/env node
// Indexing speed on a real repository, against universal-ctags on the same tree.
//
//   node bench/index/run.mjs ROOT [--workers N] [--no-ctags]
//
// Prints, for @toad/context: files/s, symbols/s, total time and peak memory of
// a cold index into a fresh SQLite file; a no-change re-index; and a one-file
// edit (path-limited update, repo-map refresh, code-graph refresh) against the
// full rebuilds. Then ctags -R on the same tree (same languages) for
// comparison. ROOT is modified during the one-file test and restored after.
// Needs `npm run build` first (it imports packages/context/dist).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const ctx = await import(join(here, "../../packages/context/dist/index.js"));

const args = process.argv.slice(2);
const root = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--workers");
if (!root || !existsSync(root)) {
  console.error("usage: node bench/index/run.mjs ROOT [--workers N] [--no-ctags]");
  process.exit(2);
}
const workersAt = args.indexOf("--workers");
const workers = workersAt >= 0 ? Number(args[workersAt + 1]) : undefined;
const ms = (t) => `${t.toFixed(0)} ms`;
const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;
const work = mkdtempSync(join(tmpdir(), "toad-bench-index-"));

// 1. Cold index.
const store = ctx.IndexStore.open(join(work, "index.sqlite"));
const codeFiles = ctx.listFiles(root).filter((p) => ctx.languageForPath(p));
const bytes = codeFiles.reduce((s, p) => s + statSync(join(root, p)).size, 0);
let t = performance.now();
const cpu0 = process.cpuUsage();
const cold = await ctx.indexRepository(root, store, () => {}, workers === undefined ? {} : { workers });
const coldMs = performance.now() - t;
const cpu = process.cpuUsage(cpu0);
const cpuS = (cpu.user + cpu.system) / 1e6;
const peakKb = process.resourceUsage().maxRSS;
const counts = store.counts();
console.log(`== @toad/context on ${root}`);
console.log(
  `files: ${cold.files} (${codeFiles.length} with a grammar, ${(bytes / 1e6).toFixed(1)} MB of code), ` +
    `definitions ${counts.defs}, references ${counts.refs}, chunks ${counts.chunks}`,
);
console.log(
  `cold index: ${ms(coldMs)}  ${((cold.files / coldMs) * 1000).toFixed(0)} files/s  ` +
    `${((counts.defs / coldMs) * 1000).toFixed(0)} symbols/s  peak RSS ${mb(peakKb)}  errors ${cold.errors.length}`,
);
console.log(
  `  CPU time ${cpuS.toFixed(1)} s (all threads), load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`,
);

// 2. Nothing changed: every file is hashed, none parsed.
t = performance.now();
const noop = await ctx.indexRepository(root, store);
console.log(`re-index, nothing changed: ${ms(performance.now() - t)} (parsed ${noop.indexed})`);

// 3. One-file edit: the code file with the most definitions gets a new function.
const target = store
  .files()
  .filter((f) => f.language !== "text")
  .map((f) => ({ path: f.path, defs: store.defs(f.path).length }))
  .sort((a, b) => b.defs - a.defs)[0]?.path;
const original = readFileSync(join(root, target), "utf8");
const addition = target.endsWith(".py")
  ? "\n\ndef toad_bench_added(x):\n    return x\n"
  : "\nfunction toadBenchAdded(x) { return x; }\n";
const graph = new ctx.SqliteCodeGraph(store.db);
t = performance.now();
await ctx.syncCodeGraph(store, graph);
const graphFullMs = performance.now() - t;
t = performance.now();
const mapper = new ctx.RepoMapper(store);
const mapBefore = mapper.render({ tokenBudget: 2048 });
const mapFullMs = performance.now() - t;
try {
  writeFileSync(join(root, target), original + addition);
  t = performance.now();
  const one = await ctx.indexRepository(root, store, () => {}, { paths: [target] });
  const oneMs = performance.now() - t;
  t = performance.now();
  mapper.refresh(one.changed);
  const mapAfter = mapper.render({ tokenBudget: 2048 });
  const mapIncMs = performance.now() - t;
  t = performance.now();
  const relinked = await ctx.syncCodeGraph(store, graph, one.changed);
  const graphIncMs = performance.now() - t;
  console.log(`one-file edit (${target}, ${original.length} bytes):`);
  console.log(`  index update: ${ms(oneMs)} (parsed ${one.indexed})`);
  console.log(
    `  repo map: refresh + render ${ms(mapIncMs)} (${mapAfter.iterations} PageRank iterations) vs full build + render ${ms(mapFullMs)} (${mapBefore.iterations})`,
  );
  console.log(`  code graph: ${ms(graphIncMs)} for ${relinked} files vs full ${ms(graphFullMs)}`);
  writeFileSync(join(root, target), original);
  t = performance.now();
  const rescan = await ctx.indexRepository(root, store);
  console.log(`  full re-scan after restoring it: ${ms(performance.now() - t)} (parsed ${rescan.indexed})`);
} finally {
  writeFileSync(join(root, target), original);
  store.close();
}

// 4. universal-ctags on the same tree and languages.
if (!args.includes("--no-ctags")) {
  const ctags = spawnSync("ctags", ["--version"], { encoding: "utf8" });
  if (ctags.status !== 0) {
    console.log("\nuniversal-ctags not found (Debian package universal-ctags): comparison skipped");
  } else {
    const tagsFile = join(work, "tags");
    const ctagsArgs = [
      "-R",
      "--languages=Python,JavaScript,TypeScript,Go,Rust,Java,C,C++",
      "--fields=+nS",
      "-f",
      tagsFile,
      root,
    ];
    const timeBin = existsSync("/usr/bin/time");
    t = performance.now();
    const run = timeBin
      ? spawnSync("/usr/bin/time", ["-v", "ctags", ...ctagsArgs], { encoding: "utf8" })
      : spawnSync("ctags", ctagsArgs, { encoding: "utf8" });
    const ctagsMs = performance.now() - t;
    const peak = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr ?? "")?.[1];
    const user = Number(/User time \(seconds\): ([\d.]+)/.exec(run.stderr ?? "")?.[1] ?? Number.NaN);
    const sys = Number(/System time \(seconds\): ([\d.]+)/.exec(run.stderr ?? "")?.[1] ?? Number.NaN);
    const tags = readFileSync(tagsFile, "utf8")
      .split("\n")
      .filter((l) => l && !l.startsWith("!_")).length;
    const files = Number(
      execFileSync("sh", ["-c", `cut -f2 '${tagsFile}' | grep -v '^!' | sort -u | wc -l`]).toString(),
    );
    console.log(`\n== ${ctags.stdout.split("\n")[0]}`);
    console.log(
      `ctags -R: ${ms(ctagsMs)}  ${((files / ctagsMs) * 1000).toFixed(0)} files/s (${files} files with tags)  ` +
        `${((tags / ctagsMs) * 1000).toFixed(0)} tags/s (${tags} tags, definitions only)  peak RSS ${peak ? mb(Number(peak)) : "n/a (no /usr/bin/time)"}`,
    );
    if (Number.isFinite(user)) console.log(`  CPU time ${(user + sys).toFixed(1)} s`);
  }
}
rmSync(work, { recursive: true, force: true });
