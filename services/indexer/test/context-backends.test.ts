/**
 * QDRANT_URL and FALKORDB_URL choose the context engine's vector and graph
 * stores. No Qdrant or FalkorDB server can run here (no Docker, no package),
 * so the choice is checked from the environment, bad URLs are checked to stop
 * the services at start, and the Qdrant path is followed end to end against a
 * RECORDER on loopback: a stand-in that answers only the REST calls the
 * adapter makes (collection exists, upsert, delete, search) with canned
 * replies and keeps what it was sent. It is not a vector database: it stores
 * nothing and returns no hits. The adapters' behaviour against real servers is
 * packages/context/test/adapters.test.ts (run when TOAD_TEST_*_URL is set).
 */
import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IndexStore, SqliteCodeGraph } from "@toad/context";
import { contextBackendsFromEnv, indexPath } from "@toad/platform";
import { ContextServiceDefinition, IndexerServiceDefinition, IndexState } from "@toad/proto";
import { startContextServer } from "@toad/service-context";
import type { RunningApp } from "@toad/service-kit";
import { createChannel, createClient } from "nice-grpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIndexerServer } from "../src/index.js";

interface Recorded {
  method: string;
  path: string;
  body: unknown;
}

async function startQdrantRecorder(): Promise<{ url: string; calls: Recorded[]; server: Server }> {
  const calls: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const path = new URL(req.url ?? "/", "http://q").pathname;
      calls.push({ method: req.method ?? "", path, body: text ? JSON.parse(text) : undefined });
      const ok = (result: unknown) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ result, status: "ok", time: 0 }));
      };
      if (path.endsWith("/exists")) return ok({ exists: true });
      if (path.endsWith("/points/search")) return ok([]);
      if (path.endsWith("/points") || path.endsWith("/points/delete"))
        return ok({ operation_id: calls.length, status: "completed" });
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: { error: `not recorded: ${req.method} ${path}` }, time: 0 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, server };
}

let dir: string;
let repo: string;
const apps: RunningApp[] = [];
let recorder: Awaited<ReturnType<typeof startQdrantRecorder>>;
const baseEnv = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: dir,
  TOAD_INDEX_DIR: join(dir, "index"),
  TOAD_GRPC_PORT: "0",
  TOAD_METRICS_PORT: "0",
  TOAD_LOG_LEVEL: "error",
});

beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), "toad-backends-")));
  repo = join(dir, "repo");
  await mkdir(join(repo, "src"), { recursive: true });
  await writeFile(join(repo, "src", "tax.py"), "def compute_tax(amount):\n    return amount * 0.2\n");
  await writeFile(
    join(repo, "src", "cart.py"),
    "from tax import compute_tax\n\ndef total(x):\n    return compute_tax(x)\n",
  );
  recorder = await startQdrantRecorder();
});
afterAll(async () => {
  for (const app of apps) await app.shutdown();
  await new Promise((resolve) => recorder?.server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe("vector and graph stores chosen from the environment", () => {
  it("uses the embedded stores without URLs, the servers' adapters with them", () => {
    expect(contextBackendsFromEnv({})).toEqual({ vector: { kind: "embedded" }, graph: { kind: "embedded" } });
    expect(contextBackendsFromEnv({ QDRANT_URL: " ", FALKORDB_URL: "" })).toEqual({
      vector: { kind: "embedded" },
      graph: { kind: "embedded" },
    });
    expect(
      contextBackendsFromEnv({
        QDRANT_URL: "http://qdrant:6333",
        QDRANT_API_KEY: "k",
        FALKORDB_URL: "redis://falkordb:6379",
      }),
    ).toEqual({
      vector: { kind: "qdrant", url: "http://qdrant:6333", apiKey: "k" },
      graph: { kind: "falkordb", url: "redis://falkordb:6379" },
    });
    expect(contextBackendsFromEnv({ FALKORDB_URL: "falkor://g:6379" }).graph).toEqual({
      kind: "falkordb",
      url: "falkor://g:6379",
    });
  });

  it("stops both services at start on a bad URL, naming the variable", async () => {
    expect(() => contextBackendsFromEnv({ QDRANT_URL: "qdrant:6333" })).toThrow(
      /QDRANT_URL must use http:\/\/ or https:\/\/.*e\.g\. http:\/\/qdrant:6333/,
    );
    expect(() => contextBackendsFromEnv({ QDRANT_URL: "not a url" })).toThrow(/QDRANT_URL is not a URL/);
    expect(() => contextBackendsFromEnv({ FALKORDB_URL: "http://falkordb:6379" })).toThrow(
      /FALKORDB_URL must use redis:\/\/ or rediss:\/\/ or falkor:\/\/ or falkors:\/\//,
    );
    await expect(startContextServer({ ...baseEnv(), QDRANT_URL: "localhost:6333" })).rejects.toThrow(
      /QDRANT_URL/,
    );
    await expect(startIndexerServer({ ...baseEnv(), FALKORDB_URL: "falkordb" })).rejects.toThrow(
      /FALKORDB_URL/,
    );
  });

  it("with QDRANT_URL, the indexer writes chunk vectors through the Qdrant adapter and retrieval searches it", async () => {
    const env = { ...baseEnv(), QDRANT_URL: recorder.url };
    const indexerApp = await startIndexerServer(env);
    const contextApp = await startContextServer(env);
    apps.push(indexerApp, contextApp);
    const indexer = createClient(IndexerServiceDefinition, createChannel(`127.0.0.1:${indexerApp.port}`));
    const context = createClient(ContextServiceDefinition, createChannel(`127.0.0.1:${contextApp.port}`));

    await indexer.indexRepo({ repoId: "acme/shop", rootPath: repo });
    let status = await indexer.getIndexStatus({ repoId: "acme/shop" });
    for (let i = 0; i < 200 && status.state !== IndexState.INDEX_STATE_READY; i++) {
      expect(status.state, status.error).not.toBe(IndexState.INDEX_STATE_FAILED);
      await new Promise((resolve) => setTimeout(resolve, 25));
      status = await indexer.getIndexStatus({ repoId: "acme/shop" });
    }
    expect(status.state).toBe(IndexState.INDEX_STATE_READY);
    const upserts = recorder.calls.filter((c) => c.method === "PUT" && c.path.endsWith("/points"));
    expect(upserts.length).toBeGreaterThan(0);
    const collection = upserts[0]?.path.split("/")[2] ?? "";
    expect(collection).toMatch(/^toad-[0-9a-f]{24}$/);
    const upserted = upserts[0]?.body as
      | { points: { vector: number[]; payload: { path: string } }[] }
      | undefined;
    const points = upserted?.points ?? [];
    expect(points[0]?.vector).toHaveLength(512);
    expect(points.map((p) => p.payload.path).sort()).toContain("src/tax.py");

    const found = await context.retrieve({ repoId: "acme/shop", query: "compute tax" });
    expect(found.items.map((item) => item.path)).toContain("src/tax.py");
    expect(recorder.calls.some((c) => c.path === `/collections/${collection}/points/search`)).toBe(true);
  });

  it("without QDRANT_URL, retrieval works on the embedded stores and Qdrant is never called", async () => {
    const before = recorder.calls.length;
    const env = { ...baseEnv(), TOAD_INDEX_DIR: join(dir, "index-embedded") };
    const indexerApp = await startIndexerServer(env);
    const contextApp = await startContextServer(env);
    apps.push(indexerApp, contextApp);
    const indexer = createClient(IndexerServiceDefinition, createChannel(`127.0.0.1:${indexerApp.port}`));
    const context = createClient(ContextServiceDefinition, createChannel(`127.0.0.1:${contextApp.port}`));
    await indexer.indexRepo({ repoId: "acme/shop", rootPath: repo });
    for (let i = 0; i < 200; i++) {
      if ((await indexer.getIndexStatus({ repoId: "acme/shop" })).state === IndexState.INDEX_STATE_READY)
        break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const found = await context.retrieve({ repoId: "acme/shop", query: "compute tax" });
    const tax = found.items.find((item) => item.path === "src/tax.py");
    // The embedded vector index (built in memory from the index) took part in the ranking.
    expect(tax?.reasons.some((reason) => reason.startsWith("vector #"))).toBe(true);
    expect(recorder.calls.length).toBe(before);
    // The embedded code graph was written into the index file by the indexer.
    const store = IndexStore.open(indexPath(join(dir, "index-embedded"), "acme/shop"));
    try {
      const impact = await new SqliteCodeGraph(store.db).impact("src/tax.py#compute_tax", { depth: 1 });
      expect(impact.map((reached) => reached.node.id)).toContain("src/cart.py#total");
    } finally {
      store.close();
    }
  });
});
