#!/usr/bin/env node
// Checks the calibrated token estimate against the real o200k_base tokenizer
// (js-tiktoken, offline) on this repository's code, the wire fixtures and
// TypeScript's .d.ts files, and times both.
//
//   npm run build && node bench/llm/token-estimate.mjs [--fixtures ../shared/fixtures/wire]

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { estimateTokens, loadTiktokenCounter } from "@toad/llm";

const ROOT = resolve(import.meta.dirname, "../..");
const flag = process.argv.indexOf("--fixtures");
const SHARED =
  flag === -1 ? resolve(ROOT, "../shared/fixtures/wire") : resolve(process.argv[flag + 1] ?? ".");

function walk(dir, exts, limit, out = []) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (out.length >= limit || name === "node_modules" || name === "dist") continue;
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) walk(path, exts, limit, out);
    else if (exts.some((e) => name.endsWith(e)) && stat.size < 300_000) out.push(readFileSync(path, "utf8"));
  }
  return out;
}

const corpora = {
  "TOAD TypeScript": walk(join(ROOT, "packages"), [".ts"], 200),
  "TypeScript .d.ts": walk(join(ROOT, "node_modules/typescript/lib"), [".d.ts"], 40),
  "wire fixtures": walk(SHARED, [".sse", ".json", ".md"], 200),
};

const loadStart = performance.now();
const tiktoken = await loadTiktokenCounter();
console.log(`o200k_base loaded in ${(performance.now() - loadStart).toFixed(0)} ms`);

const pct = (sorted, q) => (sorted[Math.floor(sorted.length * q)] * 100).toFixed(1).padStart(5);
console.log("corpus              chunks  estimate err% med/p90/p99     chars/4 err% med/p90/p99");
let estimateMs = 0;
let tiktokenMs = 0;
let chars = 0;
for (const [name, texts] of Object.entries(corpora)) {
  const est = [];
  const naive = [];
  for (const text of texts) {
    for (let at = 0; at < text.length && at < 60_000; at += 3000) {
      const chunk = text.slice(at, at + 3000);
      let t = performance.now();
      const real = tiktoken.count(chunk);
      tiktokenMs += performance.now() - t;
      t = performance.now();
      const guess = estimateTokens(chunk);
      estimateMs += performance.now() - t;
      chars += chunk.length;
      if (real === 0) continue;
      est.push(Math.abs(guess - real) / real);
      naive.push(Math.abs(chunk.length / 4 - real) / real);
    }
  }
  est.sort((a, b) => a - b);
  naive.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(18)} ${String(est.length).padStart(7)}  ${pct(est, 0.5)} ${pct(est, 0.9)} ${pct(est, 0.99)}             ${pct(naive, 0.5)} ${pct(naive, 0.9)} ${pct(naive, 0.99)}`,
  );
}
console.log(
  `speed: estimate ${((estimateMs * 1000) / (chars / 1024)).toFixed(1)} µs/KB, tiktoken ${((tiktokenMs * 1000) / (chars / 1024)).toFixed(1)} µs/KB`,
);
