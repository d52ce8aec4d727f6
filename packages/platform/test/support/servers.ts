import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@toad/testkit";

/**
 * Private Redis and NATS servers for tests: the machine's own binaries on
 * free loopback ports, stopped after the test (the shared ones on 6379/4222
 * are left alone).
 */
export interface TestServer {
  url: string;
  port: number;
  /** Stops the process (SIGTERM, or SIGKILL to simulate a crash). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and data directory. */
  restart(): Promise<void>;
}

export { freePort };

function waitFor(child: ChildProcess, ready: RegExp, what: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}:\n${output}`));
    });
  });
}

async function managed(
  what: string,
  command: string,
  args: (port: number, dir: string) => string[],
  ready: RegExp,
  scheme: string,
): Promise<TestServer> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), `toad-${what}-`));
  let child: ChildProcess | undefined;
  const start = async () => {
    const started = spawn(command, args(port, dir), { stdio: ["ignore", "pipe", "pipe"] });
    child = started;
    await waitFor(started, ready, what);
  };
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill(signal);
    await exited;
  };
  await start();
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    stop: async (signal) => {
      await stop(signal);
      if (signal === undefined) await rm(dir, { recursive: true, force: true });
    },
    restart: async () => {
      await stop();
      await start();
    },
  };
}

export interface RedisTestOptions {
  /** AOF with fsync on every write: what services/README.md asks of production Redis. */
  durable?: boolean;
}

export function startRedis(options: RedisTestOptions = {}): Promise<TestServer> {
  return managed(
    "redis",
    "redis-server",
    (port, dir) => [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--dir",
      dir,
      "--appendonly",
      options.durable ? "yes" : "no",
      "--appendfsync",
      "always",
    ],
    /Ready to accept connections/,
    "redis",
  );
}

export function startNats(): Promise<TestServer> {
  return managed(
    "nats",
    "/usr/sbin/nats-server",
    (port, dir) => ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", dir],
    /Server is ready/,
    "nats",
  );
}
