import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HashingEmbedder } from "../src/embed/hashing-embedder.js";
import { LsaEmbedder } from "../src/embed/lsa.js";
import { OpenAIEmbedder } from "../src/embed/openai-embedder.js";
import { cosine, EmbeddingError } from "../src/embed/port.js";
import { MemoryVectorIndex } from "../src/vector/memory-index.js";

interface Seen {
  auth: string | undefined;
  body: { model: string; input: string[] };
}

/** A loopback /v1/embeddings server: vector i of a text = [length, vowels, index-in-batch]. */
function startServer(): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw) as Seen["body"];
    seen.push({ auth: req.headers.authorization, body });
    if (req.url !== "/v1/embeddings" || req.method !== "POST") {
      res.writeHead(404).end("not found");
      return;
    }
    if (body.input.includes("FAIL")) {
      res.writeHead(500, { "content-type": "text/plain" }).end("model exploded");
      return;
    }
    // Answer out of order, as some servers do; clients must honour `index`.
    const data = body.input
      .map((text, index) => ({
        index,
        object: "embedding",
        embedding: [text.length, (text.match(/[aeiou]/g) ?? []).length, index],
      }))
      .reverse();
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ object: "list", data, model: body.model }));
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}/v1`, seen });
    });
  });
}

describe("OpenAI-compatible embedder against a loopback server", () => {
  let ctx: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    ctx = await startServer();
  });
  afterAll(() => ctx.server.close());

  it("posts model and inputs with the bearer key, batches, and orders by index", async () => {
    const embedder = new OpenAIEmbedder({
      baseUrl: ctx.url,
      model: "nomic-embed-code",
      dimensions: 3,
      apiKey: "k-123",
      batchSize: 2,
    });
    const vectors = await embedder.embed(["alpha", "be", "cee"]);
    expect(vectors.map((v) => Array.from(v))).toEqual([
      [5, 2, 0],
      [2, 1, 1],
      [3, 2, 0],
    ]);
    expect(ctx.seen.map((s) => s.body.input)).toEqual([["alpha", "be"], ["cee"]]);
    expect(ctx.seen[0]?.body.model).toBe("nomic-embed-code");
    expect(ctx.seen[0]?.auth).toBe("Bearer k-123");
    expect(embedder.id).toBe("openai:nomic-embed-code");
  });

  it("turns server errors and wrong shapes into EmbeddingError", async () => {
    const embedder = new OpenAIEmbedder({ baseUrl: ctx.url, model: "m", dimensions: 3 });
    await expect(embedder.embed(["FAIL"])).rejects.toMatchObject({ name: "EmbeddingError", status: 500 });
    const wrongDims = new OpenAIEmbedder({ baseUrl: ctx.url, model: "m", dimensions: 8 });
    await expect(wrongDims.embed(["x"])).rejects.toBeInstanceOf(EmbeddingError);
    const nowhere = new OpenAIEmbedder({ baseUrl: "http://127.0.0.1:1/v1", model: "m", dimensions: 3 });
    await expect(nowhere.embed(["x"])).rejects.toThrow(/request to .* failed/);
  });
});

describe("LSA built from a corpus", () => {
  const docs = [
    ...Array.from(
      { length: 8 },
      (_, i) => `def parse_http_header(request_line_${i}): http header request parse socket`,
    ),
    ...Array.from(
      { length: 8 },
      (_, i) => `def render_chart_axis(figure_${i}): chart axis render figure color`,
    ),
    "def unrelated(): pass",
  ];

  it("places texts about the same topic close together, reproducibly", async () => {
    const lsa = LsaEmbedder.build(docs, { dimensions: 4 });
    expect(lsa.dimensions).toBe(4);
    const [httpQ, chartQ, http2] = await lsa.embed([
      "parse the http header",
      "render a chart axis",
      "socket request",
    ]);
    if (!httpQ || !chartQ || !http2) throw new Error("missing vectors");
    expect(cosine(httpQ, http2)).toBeGreaterThan(0.8);
    expect(cosine(httpQ, chartQ)).toBeLessThan(0.3);
    const again = LsaEmbedder.build(docs, { dimensions: 4 });
    expect(Array.from(again.embedOne("http header"))).toEqual(Array.from(lsa.embedOne("http header")));
  });
});

describe("in-process vector index", () => {
  it("searches by cosine, filters by payload, deletes", async () => {
    const index = new MemoryVectorIndex();
    await index.upsert([
      { id: "a", vector: Float32Array.from([1, 0]), payload: { path: "x.py" } },
      { id: "b", vector: Float32Array.from([0.7, 0.7]), payload: { path: "y.py" } },
      { id: "c", vector: Float32Array.from([0, 1]), payload: { path: "x.py" } },
    ]);
    const hits = await index.search(Float32Array.from([2, 0]), 2);
    expect(hits.map((h) => h.id)).toEqual(["a", "b"]);
    expect(hits[0]?.score).toBeCloseTo(1, 6);
    expect((await index.search(Float32Array.from([0, 1]), 5, { path: "x.py" })).map((h) => h.id)).toEqual([
      "c",
      "a",
    ]);
    await index.delete(["c"]);
    expect(await index.size()).toBe(2);
  });

  it("hashing embedder matches shared words without any model", async () => {
    const e = new HashingEmbedder();
    const [a, b, c] = await e.embed(["fix the failing test", "the test is failing", "deploy to production"]);
    if (!a || !b || !c) throw new Error("missing vectors");
    expect(cosine(a, b)).toBeGreaterThan(cosine(a, c));
  });
});
