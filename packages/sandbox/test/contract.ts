import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { OutputChunk, SandboxDriver } from "../src/index.js";

/** Host pids whose command line contains `marker` (a unique sleep duration, say). */
export async function pidsRunning(marker: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = await readFile(`/proc/${entry}/cmdline`, "utf8");
      if (cmdline.split("\0").includes(marker)) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

export interface DriverFixture {
  workspace: string;
  driver: SandboxDriver;
}

/**
 * Behaviour every SandboxDriver must have, whatever its isolation: exit codes,
 * streams, env, stdin, timeouts and aborts that kill the whole process group,
 * capped output, and a working directory that cannot leave the workspace.
 */
export function driverContract(
  make: (workspace: string) => Promise<SandboxDriver>,
  options: {
    /** False for a driver whose commands run elsewhere (a pod): none of this process's variables reach them. */
    inheritsHostEnv?: boolean;
    /** Removes what `make` created (a pod, say) before the workspace folder goes. */
    dispose?: (driver: SandboxDriver) => Promise<void>;
  } = {},
): () => DriverFixture {
  const fixture = {} as DriverFixture;
  beforeAll(async () => {
    fixture.workspace = await mkdtemp(path.join(tmpdir(), "toad-sandbox-"));
    fixture.driver = await make(fixture.workspace);
  });
  afterAll(async () => {
    if (fixture.driver) await options.dispose?.(fixture.driver);
    await rm(fixture.workspace, { recursive: true, force: true });
  });

  it("reports exit code, stdout, stderr, env and stdin", async () => {
    const result = await fixture.driver.exec({
      command: 'echo "out:$GREETING"; cat; echo err >&2; exit 3',
      env: { GREETING: "hi" },
      stdin: "from-stdin\n",
    });
    expect(result.error).toBeUndefined();
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toBe("out:hi\nfrom-stdin\n");
    expect(result.stderr).toBe("err\n");
    expect(result).toMatchObject({ timedOut: false, aborted: false, truncated: false, signal: null });
  });

  it("hides credential-like variables of this process from commands", async () => {
    process.env.TOAD_CONTRACT_API_KEY = "sk-do-not-leak";
    process.env.TOAD_CONTRACT_VISIBLE = "yes";
    try {
      const result = await fixture.driver.exec({
        command: "printenv TOAD_CONTRACT_API_KEY || echo hidden; printenv TOAD_CONTRACT_VISIBLE",
      });
      expect(result.stdout).toBe(options.inheritsHostEnv === false ? "hidden\n" : "hidden\nyes\n");
    } finally {
      delete process.env.TOAD_CONTRACT_API_KEY;
      delete process.env.TOAD_CONTRACT_VISIBLE;
    }
  });

  it("runs an argv without a shell and streams output live", async () => {
    const chunks: OutputChunk[] = [];
    const result = await fixture.driver.exec({
      command: ["printf", "%s|", "a b", "$HOME"],
      onOutput: (chunk) => chunks.push(chunk),
    });
    expect(result.stdout).toBe("a b|$HOME|");
    expect(chunks.map((chunk) => chunk.text).join("")).toBe("a b|$HOME|");
  });

  it("runs in a subdirectory and refuses a working directory outside the workspace", async () => {
    await writeFile(path.join(fixture.workspace, "here.txt"), "x");
    const inside = await fixture.driver.exec({ command: "ls", cwd: "." });
    expect(inside.stdout).toContain("here.txt");
    const outside = await fixture.driver.exec({ command: "ls", cwd: ".." });
    expect(outside.error?.kind).toBe("invalid_cwd");
    const absolute = await fixture.driver.exec({ command: "ls", cwd: "/etc" });
    expect(absolute.error?.kind).toBe("invalid_cwd");
  });

  it("kills the whole process group on timeout, grandchildren included", async () => {
    const marker = `31.${process.pid}1`;
    const started = Date.now();
    const result = await fixture.driver.exec({
      // The grandchild sleep runs in a subshell in the background; bash waits on it.
      command: `(sleep ${marker}; echo survived) & wait`,
      timeoutMs: 300,
    });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(result.stdout).not.toContain("survived");
    expect(await pidsRunning(marker)).toEqual([]);
  });

  it("kills the whole process group on abort", async () => {
    const marker = `32.${process.pid}1`;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const result = await fixture.driver.exec({
      command: `(sleep ${marker}) & wait`,
      signal: controller.signal,
    });
    expect(result.aborted).toBe(true);
    expect(result.timedOut).toBe(false);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await pidsRunning(marker)).toEqual([]);
  });

  it("does not start a command whose signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await fixture.driver.exec({ command: "touch started", signal: controller.signal });
    expect(result.aborted).toBe(true);
    await expect(readFile(path.join(fixture.workspace, "started"))).rejects.toThrow();
  });

  it("caps huge output to head and tail with the cut marked", async () => {
    const result = await fixture.driver.exec({ command: "seq 1 300000", maxOutputBytes: 2_000 });
    expect(result.exitCode).toBe(0);
    expect(result.truncated).toBe(true);
    expect(result.stdout.length).toBeLessThan(2_100);
    expect(result.stdout.startsWith("1\n2\n3\n")).toBe(true);
    expect(result.stdout.endsWith("299999\n300000\n")).toBe(true);
    expect(result.stdout).toMatch(/\n\[\.\.\. \d+ bytes omitted \.\.\.\]\n/);
  });

  it("reports a command that cannot start as an error, not a throw", async () => {
    const result = await fixture.driver.exec({ command: ["/nonexistent/toad-binary"] });
    // A plain spawn fails before the process exists; under bwrap, bwrap itself reports it and exits 1.
    expect(result.exitCode).not.toBe(0);
    expect(`${result.error?.message ?? ""}${result.stderr}`).toContain("/nonexistent/toad-binary");
  });

  return () => fixture;
}
