import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ContextServiceDefinition,
  IndexerServiceDefinition,
  IndexState,
  SandboxServiceDefinition,
} from "@toad/proto";
import { startContextServer } from "@toad/service-context";
import type { RunningApp } from "@toad/service-kit";
import { startSandboxServer } from "@toad/service-sandbox";
import { createChannel, createClient } from "nice-grpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNats, startRedis, type TestServer } from "../../../packages/platform/test/support/servers.js";
import { startIndexerServer } from "../src/index.js";

let dir: string;
let repo: string;
let redis: TestServer;
let nats: TestServer;
const apps: RunningApp[] = [];
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), "toad-shells-")));
  repo = join(dir, "repo");
  await mkdir(join(repo, "src"), { recursive: true });
  await writeFile(
    join(repo, "src", "parser.ts"),
    "export function parseHeader(line: string): string[] {\n  return line.split(',');\n}\n",
  );
  await writeFile(
    join(repo, "src", "main.ts"),
    'import { parseHeader } from "./parser";\nexport function run(csv: string) {\n  return parseHeader(csv);\n}\n',
  );
  execFileSync("git", ["init", "-q"], { cwd: repo });
  execFileSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", "add", "."], { cwd: repo });
  execFileSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "first"], { cwd: repo });
  [redis, nats] = await Promise.all([startRedis(), startNats()]);
  env = {
    PATH: process.env.PATH,
    HOME: dir,
    REDIS_URL: redis.url,
    NATS_URL: nats.url,
    TOAD_INDEX_DIR: join(dir, "index"),
    TOAD_WORKSPACES_DIR: join(dir, "workspaces"),
    TOAD_GRPC_PORT: "0",
    TOAD_METRICS_PORT: "0",
    TOAD_LOG_LEVEL: "error",
  };
}, 30_000);
afterAll(async () => {
  for (const app of apps) await app.shutdown();
  await nats?.stop();
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

const client = <D extends Parameters<typeof createClient>[0]>(definition: D, app: RunningApp) =>
  createClient(definition, createChannel(`127.0.0.1:${app.port}`));

describe("indexer and context services (over packages/context)", () => {
  it("indexes a repository through the job queue, then retrieves from it and maps it", async () => {
    const indexerApp = await startIndexerServer(env);
    const contextApp = await startContextServer(env);
    apps.push(indexerApp, contextApp);
    const indexer = client(IndexerServiceDefinition, indexerApp);
    const context = client(ContextServiceDefinition, contextApp);

    const { jobId } = await indexer.indexRepo({ repoId: "acme/csv", rootPath: repo });
    expect(jobId).not.toBe("");
    let status = await indexer.getIndexStatus({ repoId: "acme/csv" });
    for (let i = 0; i < 200 && status.state !== IndexState.INDEX_STATE_READY; i++) {
      expect(status.state).not.toBe(IndexState.INDEX_STATE_FAILED);
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = await indexer.getIndexStatus({ repoId: "acme/csv" });
    }
    expect(status).toMatchObject({ state: IndexState.INDEX_STATE_READY, filesTotal: 2 });
    expect(status.symbols).toBeGreaterThanOrEqual(2);

    const found = await context.retrieve({
      repoId: "acme/csv",
      query: "parse header line",
      tokenBudget: 500,
    });
    expect(found.items[0]?.path).toBe("src/parser.ts");
    const map = await context.getRepoMap({ repoId: "acme/csv", tokenBudget: 500 });
    expect(map.text).toContain("parseHeader");

    await expect(context.retrieve({ repoId: "acme/none", query: "x" })).rejects.toThrow(
      /NOT_FOUND|has no index/,
    );
    await expect(indexer.indexRepo({ repoId: "x", rootPath: repo, gitUrl: "file:///x" })).rejects.toThrow(
      /exactly one source/,
    );
  });
});

describe("sandbox service (local driver)", () => {
  it("checks out a git source, runs tools in it with streamed output, and destroys it", async () => {
    const app = await startSandboxServer(env);
    apps.push(app);
    const sandbox = client(SandboxServiceDefinition, app);
    const workspace = await sandbox.createWorkspace({ gitUrl: repo, commit: "" });
    expect(workspace).toMatchObject({ driver: "local", commit: expect.stringMatching(/^[0-9a-f]{40}$/) });

    const read = [];
    for await (const event of sandbox.execTool({
      workspaceId: workspace.workspaceId,
      callId: "c1",
      tool: "read_file",
      argumentsJson: JSON.stringify({ path: "src/parser.ts" }),
    })) {
      read.push(event);
    }
    expect(read.at(-1)?.event).toMatchObject({ $case: "result", value: { isError: false } });
    expect(JSON.stringify(read.at(-1))).toContain("parseHeader");

    const ran = [];
    for await (const event of sandbox.execTool({
      workspaceId: workspace.workspaceId,
      callId: "c2",
      tool: "bash",
      argumentsJson: JSON.stringify({ command: "echo from-the-sandbox" }),
    })) {
      ran.push(event);
    }
    const streamed = ran
      .flatMap((event) =>
        event.event?.$case === "output" ? [Buffer.from(event.event.value.data).toString()] : [],
      )
      .join("");
    expect(streamed).toContain("from-the-sandbox");
    expect(ran.at(-1)?.event?.$case).toBe("result");

    await sandbox.destroyWorkspace({ workspaceId: workspace.workspaceId });
    expect(existsSync(workspace.root)).toBe(false);
    await expect(sandbox.destroyWorkspace({ workspaceId: workspace.workspaceId })).rejects.toThrow(
      /not found/,
    );
    await expect(sandbox.createWorkspace({ localPath: repo })).rejects.toThrow(/not under an allowed root/);
  });
});
