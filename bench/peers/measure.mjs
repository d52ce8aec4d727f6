// Runs the agent wrappers and measures them: wall time (hyperfine when it is on
// the PATH, else interleaved rounds timed here) and peak memory (/usr/bin/time -v,
// "Maximum resident set size").

import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";

/** Runs a command; resolves with its exit, output and wall time. Never rejects. */
export function run(command, args, { timeoutMs = 600_000 } = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: `${stderr}${error.message}`, ms: 0, timedOut });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started, timedOut });
    });
  });
}

export const hasHyperfine = () => spawnSync("hyperfine", ["--version"], { stdio: "ignore" }).status === 0;
export const TIME_BIN = "/usr/bin/time";
export const hasGnuTime = () => existsSync(TIME_BIN);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Summary of wall times in milliseconds. */
export function stats(times) {
  const mean = times.reduce((sum, t) => sum + t, 0) / times.length;
  const variance = times.reduce((sum, t) => sum + (t - mean) ** 2, 0) / Math.max(1, times.length - 1);
  return {
    runs: times.length,
    median: median(times),
    mean,
    stddev: Math.sqrt(variance),
    min: Math.min(...times),
    max: Math.max(...times),
  };
}

/** A wrapper call as one command line (hyperfine splits it shell-style with -N). */
const commandLine = (bin, prompt) => `${bin} '${prompt.replaceAll("'", "'\\''")}'`;

/**
 * Wall time of each agent on one prompt, in rounds: each round times every agent
 * (hyperfine when present, `runsPerRound` runs each; else one run each here) and the
 * next round starts with the next agent, so a burst of load on a shared machine
 * hits all agents alike instead of whichever happened to run then.
 * @returns {Promise<{ tool: string, byAgent: Map<string, ReturnType<typeof stats>> }>}
 */
export async function wallTimes(agents, prompt, { runs, warmup, exportPath, perRound = 2 }) {
  const times = new Map(agents.map((agent) => [agent.name, []]));
  const hyperfine = hasHyperfine();
  const runsPerRound = hyperfine ? Math.min(runs, perRound) : 1;
  const rounds = Math.ceil(runs / runsPerRound);
  for (let round = 0; round < rounds; round++) {
    const order = agents.map((_, i) => agents[(i + round) % agents.length]);
    const count = Math.min(runsPerRound, runs - round * runsPerRound);
    const first = round === 0 ? warmup : 0;
    if (hyperfine) {
      const args = ["-N", "--style", "none", "--warmup", String(first), "--runs", String(count)];
      args.push("--export-json", exportPath);
      for (const agent of order) args.push("--command-name", agent.name, commandLine(agent.bin, prompt));
      const result = await run("hyperfine", args);
      if (result.code !== 0) throw new Error(`hyperfine failed: ${await whoFails(order, prompt)}`);
      const exported = JSON.parse(await readFile(exportPath, "utf8"));
      for (const entry of exported.results)
        times.get(entry.command)?.push(...entry.times.map((s) => s * 1000));
      continue;
    }
    for (let i = -first; i < count; i++) {
      for (const agent of order) {
        const result = await run(agent.bin, [prompt]);
        if (result.code !== 0) throw new Error(`${agent.name} failed during timing: ${tail(result)}`);
        if (i >= 0) times.get(agent.name)?.push(result.ms);
      }
    }
  }
  const byAgent = new Map([...times].map(([name, list]) => [name, stats(list)]));
  const tool = hyperfine
    ? `hyperfine (${rounds} rounds of ${runsPerRound})`
    : "own timer (interleaved rounds)";
  return { tool, byAgent };
}

/** After a failed hyperfine run: runs each agent once more and names the ones that fail, and why. */
async function whoFails(agents, prompt) {
  const reasons = [];
  for (const agent of agents) {
    const result = await run(agent.bin, [prompt]);
    if (result.code !== 0) reasons.push(`${agent.name}: ${tail(result)}`);
  }
  return reasons.length > 0 ? reasons.join("; ") : "every agent passes when run again (a flaky run)";
}

/**
 * Peak resident memory in KB (GNU time: the largest process of the tree that was
 * waited for). time writes its report to a file: Claude Code leaves the stderr it
 * shares with time non-blocking, and time's own write to it then fails.
 */
export async function peakMemory(agent, prompt, runs, reportPath) {
  const peaks = [];
  for (let i = 0; i < runs; i++) {
    const result = await run(TIME_BIN, ["-v", "-o", reportPath, agent.bin, prompt]);
    const report = existsSync(reportPath) ? await readFile(reportPath, "utf8") : "";
    const match = report.match(/Maximum resident set size \(kbytes\): (\d+)/u);
    if (result.code !== 0 || match === null) {
      throw new Error(`${agent.name} under ${TIME_BIN} -v failed: ${tail(result)}`);
    }
    peaks.push(Number(match[1]));
  }
  return { runs: peaks.length, medianKb: median(peaks), maxKb: Math.max(...peaks) };
}

/** The last lines of a failed run, for a one-line reason. */
export function tail(result, lines = 6) {
  const text = `${result.stderr}\n${result.stdout}`.trim();
  const last = text.split("\n").slice(-lines).join(" | ");
  const how = result.timedOut ? "timed out" : `exit ${result.code ?? result.signal}`;
  return `${how}${last ? `: ${last}` : ""}`;
}

/** Per agent, from the server's request log: finished loops, bad reads, requests. */
export async function readLog(logPath, steps) {
  const text = existsSync(logPath) ? await readFile(logPath, "utf8") : "";
  const byAgent = new Map();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const entry = JSON.parse(line);
    const agent = byAgent.get(entry.agent) ?? { requests: 0, loopsDone: 0, badReads: 0, maxResults: 0 };
    agent.requests++;
    if (entry.lastReadOk === false) agent.badReads++;
    if (entry.loop) agent.maxResults = Math.max(agent.maxResults, entry.results);
    if (entry.loop && entry.reply === "text" && entry.results >= steps) agent.loopsDone++;
    byAgent.set(entry.agent, agent);
  }
  return byAgent;
}
