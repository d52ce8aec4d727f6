import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";

/**
 * The official MCP conformance suite (@modelcontextprotocol/conformance from
 * npm) against both sides of TOAD: the MCP client (McpHub, over Streamable
 * HTTP, which is the suite's only transport) and `toad mcp serve --http`.
 * Version 0.1.13 is the newest that runs on Node 20 (0.1.14+ need fs.globSync).
 */
const SUITE = join(
  dirname(createRequire(import.meta.url).resolve("@modelcontextprotocol/conformance/package.json")),
  "dist",
  "index.js",
);
const BASELINE = fileURLToPath(new URL("./fixtures/conformance-baseline.yml", import.meta.url));
const CLIENT = fileURLToPath(new URL("./fixtures/conformance-client.mjs", import.meta.url));
const TOAD_BIN = fileURLToPath(new URL("../../../cli/bin/toad.js", import.meta.url));
const BUILT = [
  fileURLToPath(new URL("../dist/index.js", import.meta.url)),
  fileURLToPath(new URL("../../../cli/dist/main.js", import.meta.url)),
];

interface Check {
  id: string;
  status: "SUCCESS" | "FAILURE" | "WARNING" | "INFO" | "SKIPPED";
  errorMessage?: string;
}

async function runSuite(args: string[], outDir: string): Promise<{ code: number; checks: Check[] }> {
  const code = await new Promise<number>((resolve) => {
    execFile(process.execPath, [SUITE, ...args, "-o", outDir], { timeout: 60_000 }, (error) =>
      resolve(error ? Number(error.code ?? 1) : 0),
    );
  });
  const checks: Check[] = [];
  for (const run of await readdir(outDir)) {
    const file = join(outDir, run, "checks.json");
    if (existsSync(file)) checks.push(...(JSON.parse(await readFile(file, "utf8")) as Check[]));
  }
  return { code, checks };
}

function failures(checks: readonly Check[]): string[] {
  return checks
    .filter((check) => check.status === "FAILURE" || check.status === "WARNING")
    .map((check) => `${check.id}: ${check.errorMessage ?? check.status}`);
}

describe("MCP conformance suite", () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let server: ChildProcess | undefined;
  let serverUrl = "";

  beforeAll(async () => {
    for (const file of BUILT)
      if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
    dir = await tempDir("toad-conformance-");
    const repo = join(dir.path, "repo");
    await mkdir(repo);
    execFileSync("git", ["init", "-q"], { cwd: repo });
    server = spawn(process.execPath, [TOAD_BIN, "mcp", "serve", "--http", "0", "--cwd", repo], {
      env: { PATH: process.env.PATH ?? "", HOME: dir.path },
      stdio: ["ignore", "ignore", "pipe"],
    });
    serverUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("toad mcp serve --http did not start")), 15_000);
      server?.stderr?.on("data", (chunk: Buffer) => {
        const match = /listening on (\S+)/.exec(chunk.toString());
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
  });
  afterAll(async () => {
    server?.kill("SIGTERM");
    await dir?.cleanup();
  });

  it("TOAD's MCP client passes the client scenarios it supports", async () => {
    const scenarios = ["initialize", "tools_call", "sse-retry"];
    const results = await Promise.all(
      scenarios.map((scenario) =>
        runSuite(
          ["client", "--command", `${process.execPath} ${CLIENT}`, "--scenario", scenario],
          join(dir.path, `client-${scenario}`),
        ),
      ),
    );
    for (const [index, result] of results.entries()) {
      expect(failures(result.checks), scenarios[index]).toEqual([]);
      expect(
        result.checks.some((check) => check.status === "SUCCESS"),
        scenarios[index],
      ).toBe(true);
      expect(result.code, scenarios[index]).toBe(0);
    }
  }, 60_000);

  it("toad mcp serve passes the whole active server suite, except what a tools-only server cannot do", async () => {
    const result = await runSuite(
      ["server", "--url", serverUrl, "--suite", "active", "--expected-failures", BASELINE],
      join(dir.path, "server-suite"),
    );
    const passed = (id: string) =>
      result.checks.some((check) => check.id === id && check.status === "SUCCESS");
    for (const id of ["server-initialize", "ping", "tools-list", "tools-call-error"])
      expect(passed(id), id).toBe(true);
    expect(
      result.checks.filter((check) => check.status === "SUCCESS" && check.id.startsWith("localhost-host-")),
    ).toHaveLength(2);
    // Exit 0: every failure is in the baseline and no baseline entry passes.
    expect(result.code).toBe(0);
  }, 60_000);
});
