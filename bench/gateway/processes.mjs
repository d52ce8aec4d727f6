// Child processes for the gateway benchmark: private Redis and NATS from the
// machine's binaries on free ports, and each TOAD service as its own process
// (the built dist/main.js), resolved once it says it is serving.

import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../../", import.meta.url));

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Spawns `command` and resolves when its output matches `ready` (the match is
 * handed to `onReady`). Output is kept for error messages.
 */
function spawnUntil(what, command, args, { env, ready, timeoutMs = 30_000 }) {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const started = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start in time:\n${output}`)), timeoutMs);
    const onData = (chunk) => {
      output += chunk.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}) before it was ready:\n${output}`));
    });
  });
  return {
    child,
    started,
    output: () => output,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** A private Redis; `durable` is what services/README.md asks of production (AOF, fsync before every reply). */
export async function startRedis({ durable }) {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), "toad-bench-redis-"));
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--dir", dir];
  args.push("--appendonly", durable ? "yes" : "no", "--appendfsync", "always");
  const proc = spawnUntil("redis", "redis-server", args, { ready: /Ready to accept connections/ });
  await proc.started;
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: proc.child.pid,
    stop: async () => {
      await proc.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function startNats() {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), "toad-bench-nats-"));
  const args = ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", dir];
  const proc = spawnUntil("nats", "/usr/sbin/nats-server", args, { ready: /Server is ready/ });
  await proc.started;
  return {
    url: `nats://127.0.0.1:${port}`,
    pid: proc.child.pid,
    stop: async () => {
      await proc.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `node [nodeArgs] services/<name>/dist/main.js` on a free port; resolves with its port and pid. */
export async function startService(name, env, nodeArgs = []) {
  const main = join(REPO, "services", name, "dist", "main.js");
  if (!existsSync(main)) throw new Error(`${main} is missing: run npx turbo run build first`);
  const proc = spawnUntil(name, process.execPath, [...nodeArgs, main], {
    env: { ...env, TOAD_GRPC_PORT: "0", TOAD_METRICS_PORT: "0", TOAD_LOG_LEVEL: "info" },
    ready: /"message":"serving[^\n]*"port":(\d+)/,
  });
  const match = await proc.started;
  const metricsPort = Number(/"metricsPort":(\d+)/.exec(proc.output())?.[1]);
  return {
    name,
    pid: proc.child.pid,
    port: Number(match[1]),
    metricsPort,
    stop: proc.stop,
    output: proc.output,
  };
}

/** A Node script of this folder as a child that prints one JSON line when ready. */
export async function startScript(file, args, env) {
  const proc = spawnUntil(file, process.execPath, [fileURLToPath(new URL(file, import.meta.url)), ...args], {
    env,
    ready: /^READY (.*)$/m,
  });
  const match = await proc.started;
  return { pid: proc.child.pid, info: JSON.parse(match[1]), stop: proc.stop };
}

/**
 * The longest event-loop delay of a service since the last call, and its p99, in ms (prom-client's
 * `nodejs_eventloop_lag_{max,p99}_seconds`: sampled every 10 ms, reset on every scrape).
 */
export async function eventLoopDelayOf(service) {
  const text = await (await fetch(`http://127.0.0.1:${service.metricsPort}/metrics`)).text();
  const read = (name) => Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, "m").exec(text)?.[1]) * 1000;
  return { max: read("nodejs_eventloop_lag_max_seconds"), p99: read("nodejs_eventloop_lag_p99_seconds") };
}

/** Resident memory of a process, in bytes (Linux). */
export function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return Number(kib ?? 0) * 1024;
}

/** CPU time a process has used so far, in ms (user + system, Linux). */
export function cpuMsOf(pid) {
  const { user, system } = cpuSplitOf(pid);
  return user + system;
}

/** CPU ms a process has used so far, in user space and in the kernel (syscalls, loopback TCP). */
export function cpuSplitOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  // utime and stime are fields 14 and 15 of stat (clock ticks of 10 ms); fields here start at field 3.
  return { user: Number(fields[11]) * 10, system: Number(fields[12]) * 10 };
}
