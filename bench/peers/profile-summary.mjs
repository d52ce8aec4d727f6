#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `node --cpu-prof`): where the wall time went
// (busy vs idle, by module and by function), and the longest idle gaps, so a slow
// `toad` run points at the file and function to change.
//
//   node bench/peers/profile-summary.mjs FILE.cpuprofile [--top 25]

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  options: { top: { type: "string", default: "25" } },
  allowPositionals: true,
});
if (positionals.length !== 1) {
  process.stderr.write("usage: profile-summary.mjs FILE.cpuprofile [--top N]\n");
  process.exit(2);
}
const TOP = Number(values.top);
const profile = JSON.parse(readFileSync(positionals[0], "utf8"));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

/** Where a script lives, shortened: a workspace package, a dependency, or node's own code. */
function moduleOf(url) {
  if (url === "") return "(native/vm)";
  if (url.startsWith("node:")) return "node:internal";
  const ownCopy = url.match(/node_modules\/@toad\/([^/]+)\//u);
  if (ownCopy) return ownCopy[1] === "cli" ? "cli" : `packages/${ownCopy[1]}`;
  const dep = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/u);
  if (dep) return `dep ${dep[1]}`;
  const own = url.match(/\/(packages\/[^/]+|cli|services\/[^/]+)\//u);
  if (own) return own[1];
  return url.replace(/^file:\/\//u, "");
}

const label = (frame) =>
  `${frame.functionName || "(anonymous)"} ${frame.url
    .replace(/^.*\/node_modules\/@toad\/cli\//u, "cli/")
    .replace(/^.*\/node_modules\/@toad\//u, "packages/")
    .replace(/^.*\/(node_modules|packages|cli)\//u, "$1/")}:${frame.lineNumber + 1}`;

// Sample durations: timeDeltas[i] is the time since the previous sample.
const selfByNode = new Map();
const gaps = [];
let t = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i] ?? 0;
  t += dt;
  const id = profile.samples[i];
  selfByNode.set(id, (selfByNode.get(id) ?? 0) + dt);
  const frame = nodes.get(id)?.callFrame;
  if (frame?.functionName === "(idle)") gaps.push({ at: t - profile.startTime, dt });
}

const totalUs = profile.endTime - profile.startTime;

/** Offset of the first sample inside a function whose location matches `pattern` (module loading ends there). */
function firstSampleIn(pattern) {
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    for (let cur = profile.samples[i]; cur !== undefined; cur = parent.get(cur)) {
      const frame = nodes.get(cur).callFrame;
      if (pattern.test(`${frame.functionName} ${frame.url}`)) return at;
    }
  }
  return undefined;
}
const mainStarts = firstSampleIn(/^main .*\/cli\/dist\/main\.js$/u);
const bySelf = new Map();
const byModule = new Map();
const inclusive = new Map();
for (const [id, us] of selfByNode) {
  const frame = nodes.get(id).callFrame;
  const key = ["(idle)", "(program)", "(garbage collector)"].includes(frame.functionName)
    ? frame.functionName
    : label(frame);
  bySelf.set(key, (bySelf.get(key) ?? 0) + us);
  const mod = frame.functionName.startsWith("(") ? frame.functionName : moduleOf(frame.url);
  byModule.set(mod, (byModule.get(mod) ?? 0) + us);
  // Inclusive time per own-code function (each ancestor counted once per sample stack).
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const f = nodes.get(cur).callFrame;
    // TOAD's own code: the workspace packages, or their copies under node_modules/@toad (bench snapshot).
    if (!/\/(packages\/[^/]+|@toad\/[^/]+|cli)\/dist\//u.test(f.url)) continue;
    const k = label(f);
    if (seen.has(k)) continue;
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) ?? 0) + us);
  }
}

const ms = (us) => `${(us / 1000).toFixed(1)} ms`;
const table = (title, map) => {
  console.log(`\n${title}`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
    console.log(`  ${ms(us).padStart(10)}  ${key}`);
  }
};
console.log(`profile: ${ms(totalUs)} from the first to the last sample`);
// V8 samples on wall time: on a loaded machine, time spent waiting for a CPU is
// charged to whatever function was running. Trust patterns that repeat across runs.
console.log("(wall-clock samples: under load, waits for a CPU land on the running function)");
if (mainStarts !== undefined) {
  console.log(
    `module loading: cli/dist/main.js main() first runs at ${ms(mainStarts)} (imports before that)`,
  );
}
table("by module (self time)", byModule);
table("by function (self time)", bySelf);
table("TOAD's own functions (inclusive time)", inclusive);

// Merge idle samples that touch into gaps, to show the waits on the timeline.
const merged = [];
for (const gap of gaps) {
  const last = merged.at(-1);
  if (last && gap.at - gap.dt - last.end < 2000) {
    last.end = gap.at;
  } else merged.push({ start: gap.at - gap.dt, end: gap.at });
}
console.log("\nlongest idle stretches (offset from start: length)");
for (const gap of merged.sort((a, b) => b.end - b.start - (a.end - a.start)).slice(0, 8)) {
  console.log(`  at ${ms(gap.start).padStart(10)}: ${ms(gap.end - gap.start)}`);
}
