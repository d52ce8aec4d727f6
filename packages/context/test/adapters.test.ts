import { describe, expect, it } from "vitest";
import { FalkorCodeGraph } from "../src/graph/falkor-graph.js";
import { pointId, QdrantVectorIndex } from "../src/vector/qdrant-index.js";

// These adapters talk to real servers. There is no Docker and no FalkorDB or
// Qdrant server on this machine, so they run only when pointed at one.
const falkorUrl = process.env.TOAD_TEST_FALKORDB_URL;
const qdrantUrl = process.env.TOAD_TEST_QDRANT_URL;

if (!falkorUrl)
  process.stderr.write(
    "skipping FalkorDB adapter tests: set TOAD_TEST_FALKORDB_URL (falkor://host:port) to run them\n",
  );
if (!qdrantUrl)
  process.stderr.write(
    "skipping Qdrant adapter tests: set TOAD_TEST_QDRANT_URL (http://host:6333) to run them\n",
  );

describe.skipIf(!falkorUrl)("FalkorDB code graph", () => {
  it("stores a file slice and walks dependencies and impact", async () => {
    const graph = await FalkorCodeGraph.connect({ url: falkorUrl, graph: `toad-test-${Date.now()}` });
    try {
      await graph.replaceFile(
        "a.py",
        [
          { id: "a.py", kind: "module", name: "a.py", path: "a.py", line: 1 },
          { id: "a.py#f", kind: "function", name: "f", path: "a.py", line: 1 },
          { id: "a.py#g", kind: "function", name: "g", path: "a.py", line: 4 },
        ],
        [
          { from: "a.py", to: "a.py#f", kind: "defines" },
          { from: "a.py", to: "a.py#g", kind: "defines" },
          { from: "a.py#f", to: "a.py#g", kind: "calls" },
        ],
      );
      expect((await graph.dependencies("a.py#f", { depth: 1 })).map((r) => r.node.id)).toEqual(["a.py#g"]);
      expect((await graph.impact("a.py#g", { depth: 1 })).map((r) => r.node.id)).toEqual(["a.py#f"]);
      await graph.removeFile("a.py");
      expect(await graph.node("a.py#f")).toBeUndefined();
    } finally {
      await graph.close();
    }
  });
});

describe.skipIf(!qdrantUrl)("Qdrant vector index", () => {
  it("upserts, searches with a payload filter and deletes", async () => {
    const index = await QdrantVectorIndex.connect({
      url: qdrantUrl,
      collection: `toad-test-${Date.now()}`,
      dimensions: 2,
    });
    await index.upsert([
      { id: "chunk:1", vector: Float32Array.from([1, 0]), payload: { path: "x.py" } },
      { id: "chunk:2", vector: Float32Array.from([0, 1]), payload: { path: "y.py" } },
    ]);
    const hits = await index.search(Float32Array.from([1, 0.1]), 1);
    expect(hits[0]).toMatchObject({ id: "chunk:1", payload: { path: "x.py" } });
    expect((await index.search(Float32Array.from([1, 0]), 5, { path: "y.py" })).map((h) => h.id)).toEqual([
      "chunk:2",
    ]);
    await index.delete(["chunk:1"]);
    expect(await index.size()).toBe(1);
  });
});

describe("adapter helpers (no server needed)", () => {
  it("derives stable UUID point ids for Qdrant", () => {
    expect(pointId("chunk:1")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(pointId("chunk:1")).toBe(pointId("chunk:1"));
    expect(pointId("chunk:1")).not.toBe(pointId("chunk:2"));
  });

  it("FalkorDB connect fails with a readable error when no server listens", async () => {
    await expect(FalkorCodeGraph.connect({ url: "falkor://127.0.0.1:1" })).rejects.toThrow();
  });
});
