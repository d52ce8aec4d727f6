#!/usr/bin/env node
// The body of bench/peers.sh (which builds TOAD and installs the peers first):
// toad, Claude Code and Codex against one scripted model server, side by side, in
// a temp git repository. Prints a markdown table and the verdict on the targets;
// when toad misses one, profiles toad and prints where its time goes.
//
//   node bench/peers/run.mjs --root REPO --peers-dir DIR [--runs 10] [--loop-runs 3]
//        [--mem-runs 5] [--steps 50] [--profile auto|always|never] [--keep]

import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { prepareAgents } from "./agents.mjs";
import { hasGnuTime, peakMemory, readLog, run, TIME_BIN, tail, wallTimes } from "./measure.mjs";
import { renderReport } from "./report.mjs";
import { snapshotToad } from "./snapshot.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const ONE_SHOT = "Say hello.";
// The server answers prompts holding "bench-peers-loop" with the read loop.
const LOOP = "bench-peers-loop: read the files under src/ one by one, then say how many you read.";

const { values: opts } = parseArgs({
  options: {
    root: { type: "string" },
    "peers-dir": { type: "string" },
    runs: { type: "string", default: "10" },
    "loop-runs": { type: "string", default: "3" },
    "mem-runs": { type: "string", default: "5" },
    steps: { type: "string", default: "50" },
    profile: { type: "string", default: "auto" },
    keep: { type: "boolean", default: false },
  },
  strict: true,
});
if (opts.root === undefined || opts["peers-dir"] === undefined) {
  console.error("usage: run.mjs --root REPO --peers-dir DIR [options]");
  process.exit(2);
}
const steps = Number(opts.steps);
const log = (line) => console.error(`peers: ${line}`);

/** 50 small source-like files, each opened by a token the server checks in the tool result. */
async function makeRepo(repo) {
  const git = (...args) => execFileSync("git", args, { cwd: repo, stdio: "ignore" });
  await mkdir(join(repo, "src"), { recursive: true });
  for (let n = 1; n <= steps; n++) {
    const lines = [`bench-token-${n}.`];
    for (let i = 1; i <= 40; i++) lines.push(`export const value${i} = compute(${n}, ${i}); // line ${i}`);
    await writeFile(join(repo, "src", `file_${String(n).padStart(2, "0")}.txt`), `${lines.join("\n")}\n`);
  }
  await writeFile(join(repo, "README.md"), "# bench repository\n");
  git("init", "-q");
  git("add", "-A");
  git("-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-qm", "bench files");
}

/** Starts bench/peers/mock-server.mjs and waits for the URL line. */
function startServer(repo, logPath) {
  const child = spawn(
    process.execPath,
    [join(HERE, "mock-server.mjs"), "--repo", repo, "--steps", String(steps), "--log", logPath],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error("the scripted model server did not start in 15 s")),
      15_000,
    );
    createInterface({ input: child.stdout }).once("line", (url) => {
      clearTimeout(timer);
      resolve({ url: url.trim(), stop: () => child.kill("SIGTERM") });
    });
    child.once("exit", (code) => reject(new Error(`the scripted model server exited (${code})`)));
  });
}

/** Runs each agent once on each prompt; an agent that cannot run gets the reason. */
async function probe(agents, logPath) {
  for (const agent of agents) {
    if (agent.missing !== undefined) continue;
    const one = await run(agent.bin, [ONE_SHOT], { timeoutMs: 120_000 });
    if (one.code !== 0 || !one.stdout.includes("Hello from the mock.")) {
      agent.missing = `one-shot probe failed (${tail(one)})`;
      continue;
    }
    await writeFile(logPath, "");
    const loop = await run(agent.bin, [LOOP], { timeoutMs: 600_000 });
    const seen = (await readLog(logPath, steps)).get(agent.name);
    if (loop.code !== 0 || seen === undefined || seen.loopsDone !== 1 || seen.badReads > 0) {
      agent.loopMissing = `read-loop probe failed (${tail(loop, 3)}; reads seen ${seen?.maxResults ?? 0}/${steps}, bad reads ${seen?.badReads ?? 0})`;
    }
  }
  for (const agent of agents) {
    if (agent.missing !== undefined) log(`${agent.label} cannot run here: ${agent.missing}`);
    else if (agent.loopMissing !== undefined) log(`${agent.label} cannot run the loop: ${agent.loopMissing}`);
  }
}

/** The built toad, copied so that rebuilds during the bench change nothing (see snapshot.mjs). */
async function frozenToad(root, dest) {
  if (!existsSync(join(root, "cli", "dist", "main.js"))) {
    return { missing: "cli/dist/main.js is missing: npm run build failed" };
  }
  const git = (...args) => execFileSync("git", ["-C", root, ...args], { encoding: "utf8" }).trim();
  const dirty = git("status", "--porcelain", "--untracked-files=no") !== "";
  return {
    bin: await snapshotToad(root, dest),
    version: `${git("rev-parse", "--short", "HEAD")}${dirty ? "+changes" : ""}`,
  };
}

async function profileToad(toad, work) {
  if (toad?.profileBin === undefined) return;
  for (const [kind, prompt] of [
    ["one-shot", ONE_SHOT],
    ["loop", LOOP],
  ]) {
    const dir = join(work, "profiles", kind);
    const result = await run(toad.profileBin, [prompt, dir]);
    if (result.code !== 0) {
      log(`profiling toad (${kind}) failed: ${tail(result)}`);
      continue;
    }
    const [file] = await readdir(dir);
    const summary = await run(process.execPath, [
      join(HERE, "profile-summary.mjs"),
      join(dir, file),
      "--top",
      "12",
    ]);
    console.log(
      `\n## Where toad's time goes: ${kind} (node --cpu-prof)\n\n\`\`\`\n${summary.stdout.trim()}\n\`\`\``,
    );
  }
}

async function main() {
  const work = await mkdtemp(join(tmpdir(), "toad-peers-"));
  const repo = join(work, "repo");
  const logPath = join(work, "requests.jsonl");
  let server;
  try {
    await makeRepo(repo);
    server = await startServer(repo, logPath);
    log(`scripted model server at ${server.url}; work folder ${work}`);
    const agents = await prepareAgents({
      toad: await frozenToad(opts.root, join(work, "toad-snapshot")),
      peersDir: opts["peers-dir"],
      work,
      repo,
      url: server.url,
      steps,
    });
    const loadBefore = loadavg()[0];
    await probe(agents, logPath);
    const ready = agents.filter((agent) => agent.missing === undefined);
    const loopReady = ready.filter((agent) => agent.loopMissing === undefined);

    log(`one-shot wall time: ${ready.map((a) => a.name).join(", ")}`);
    const oneShot = await wallTimes(ready, ONE_SHOT, {
      runs: Number(opts.runs),
      warmup: 2,
      exportPath: join(work, "one-shot.json"),
    });
    const oneShotMem = new Map();
    const loopMem = new Map();
    if (hasGnuTime()) {
      log(`one-shot peak memory (${TIME_BIN} -v)`);
      for (const agent of ready)
        oneShotMem.set(
          agent.name,
          await peakMemory(agent, ONE_SHOT, Number(opts["mem-runs"]), join(work, "time.txt")),
        );
    } else log(`${TIME_BIN} is missing: no peak memory (apt-get install -y time)`);

    log(`${steps}-step loop wall time: ${loopReady.map((a) => a.name).join(", ")}`);
    await writeFile(logPath, "");
    const loopRuns = Number(opts["loop-runs"]);
    const loop = await wallTimes(loopReady, LOOP, {
      perRound: 1,
      runs: loopRuns,
      warmup: 0,
      exportPath: join(work, "loop.json"),
    });
    const seen = await readLog(logPath, steps);
    const requestsPerLoop = new Map();
    for (const agent of loopReady) {
      const entry = seen.get(agent.name);
      if (entry === undefined || entry.loopsDone !== loopRuns || entry.badReads > 0) {
        throw new Error(
          `${agent.name}: ${entry?.loopsDone ?? 0}/${loopRuns} loops finished, ${entry?.badReads ?? 0} bad reads`,
        );
      }
      requestsPerLoop.set(agent.name, Math.round(entry.requests / loopRuns));
    }
    if (hasGnuTime())
      for (const agent of loopReady)
        loopMem.set(agent.name, await peakMemory(agent, LOOP, 1, join(work, "time.txt")));

    const { markdown, missed } = renderReport({
      agents,
      oneShot: oneShot.byAgent,
      oneShotMem,
      loop: loop.byAgent,
      loopMem,
      requestsPerLoop,
      steps,
    });
    console.log(
      [
        `## toad vs Claude Code vs Codex (scripted model server on loopback)\n`,
        `${cpus().length} CPUs, Node ${process.version}, load average ${loadBefore.toFixed(1)} before / ${loadavg()[0].toFixed(1)} after.`,
        `Wall time by ${oneShot.tool}: one-shot ${opts.runs} runs per agent after 2 warmups, loop ${loopRuns} runs after one probe run. Peak RSS by ${TIME_BIN} -v: median of ${opts["mem-runs"]} one-shot runs, 1 loop run.\n`,
        markdown,
      ].join("\n"),
    );
    if (opts.profile === "always" || (opts.profile === "auto" && missed.length > 0)) {
      await profileToad(
        ready.find((agent) => agent.name === "toad"),
        work,
      );
    }
  } finally {
    server?.stop();
    if (opts.keep) log(`kept ${work}`);
    else await rm(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`peers: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
