import type { Embedder } from "../embed/port.js";
import { nodeId } from "../graph/build.js";
import type { CodeGraph } from "../graph/port.js";
import { estimateTokens } from "../map/repo-map.js";
import { searchChunks, searchFiles } from "../search/bm25.js";
import type { ChunkRow, IndexStore } from "../store/index-store.js";
import type { VectorIndex } from "../vector/port.js";
import { type Channel, reciprocalRankFusion } from "./fusion.js";
import { isTestPath, querySignals } from "./signals.js";

export interface SearchOptions {
  /** Upper bound on the packed results, in tokens (about 4 characters each). Default 4000. */
  tokenBudget?: number;
  /** At most this many items. Default 20. */
  limit?: number;
  /** Dense retrieval; both or neither. The index holds chunk vectors keyed `chunk:<id>` (see `embedChunks`). */
  embedder?: Embedder;
  vectors?: VectorIndex;
  /** Graph expansion: callers, callees and bases of the best hits. */
  graph?: CodeGraph;
  /** Rank test files below the rest. Default false. */
  demoteTests?: boolean;
}

export interface SearchHit {
  path: string;
  startLine: number;
  endLine: number;
  symbol?: string;
  text: string;
  score: number;
  tokens: number;
  /** Why this item was chosen, one line per retriever that found it. */
  reasons: string[];
}

export interface SearchResult {
  items: SearchHit[];
  tokens: number;
  /** Fused candidates that did not fit the budget or the limit. */
  dropped: number;
}

const POOL = 60;
const MAX_DEFINERS = 20;

/**
 * Hybrid retrieval: the query fans out to symbol lookup, BM25 over chunks and
 * files, vectors (when configured) and graph expansion; the lists are fused by
 * reciprocal rank, de-duplicated, and packed into the token budget.
 */
export async function search(
  store: IndexStore,
  query: string,
  options: SearchOptions = {},
): Promise<SearchResult> {
  const budget = options.tokenBudget ?? 4000;
  const limit = options.limit ?? 20;
  const channels: Channel[] = [];
  const chunkInfo = new Map<string, ChunkRow>();
  const key = (c: ChunkRow): string => {
    const k = `chunk:${c.id}`;
    chunkInfo.set(k, c);
    return k;
  };

  const bm25 = searchChunks(store, query, { limit: POOL });
  channels.push({
    name: "bm25",
    weight: 1,
    items: bm25.map((c, i) => ({ key: key(c), reason: `BM25 #${i + 1} on the query's terms` })),
  });

  const signals = querySignals(store, query);
  const symbolItems: Channel["items"][number][] = [];
  const mentioned = [...signals.identifiers.entries()].sort((a, b) => a[1] - b[1]);
  for (const [name, definers] of mentioned) {
    // A name defined all over the repository (`get`, `run`) points nowhere in particular.
    if (definers > MAX_DEFINERS) continue;
    for (const def of store.defsNamed([name])) {
      for (const c of store.chunks(def.path)) {
        if (
          c.symbol === def.qualifiedName ||
          (c.startLine <= def.start.line && c.endLine >= def.start.line)
        ) {
          symbolItems.push({ key: key(c), reason: `defines \`${def.qualifiedName}\`, named in the query` });
        }
      }
    }
  }
  for (const path of signals.paths) {
    const first = store.chunks(path)[0];
    if (first) symbolItems.push({ key: key(first), reason: `${path} is named in the query` });
  }
  channels.push({ name: "symbols", weight: 1.5, items: symbolItems });

  const files = searchFiles(store, query, { limit: 20 });
  const fileRank = new Map(files.map((f, i) => [f.path, i + 1]));
  channels.push({
    name: "files",
    weight: 0.5,
    items: bm25
      .filter((c) => fileRank.has(c.path))
      .sort((a, b) => (fileRank.get(a.path) ?? 0) - (fileRank.get(b.path) ?? 0))
      .map((c) => ({ key: key(c), reason: `in ${c.path}, file BM25 #${fileRank.get(c.path)}` })),
  });

  if (options.embedder && options.vectors) {
    const [vector] = await options.embedder.embed([query]);
    if (vector) {
      const hits = await options.vectors.search(vector, POOL);
      const ids = hits.map((h) => Number(h.id.replace(/^chunk:/, ""))).filter(Number.isFinite);
      const rows = new Map(store.chunksById(ids).map((c) => [c.id, c]));
      const items: Channel["items"][number][] = [];
      hits.forEach((h, i) => {
        const c = rows.get(Number(h.id.replace(/^chunk:/, "")));
        if (c) items.push({ key: key(c), reason: `vector #${i + 1} (cosine ${h.score.toFixed(2)})` });
      });
      channels.push({ name: "vectors", weight: 1, items });
    }
  }

  let fused = reciprocalRankFusion(channels);
  if (options.graph) {
    const expansion = await graphExpansion(store, options.graph, fused.slice(0, 5), chunkInfo, key);
    fused = reciprocalRankFusion([...channels, { name: "graph", weight: 0.5, items: expansion }]);
  }
  if (options.demoteTests) {
    fused = fused
      .map((f) => (isTestPath(chunkInfo.get(f.key)?.path ?? "") ? { ...f, score: f.score * 0.3 } : f))
      .sort((a, b) => b.score - a.score);
  }
  return pack(fused, chunkInfo, budget, limit);
}

async function graphExpansion(
  store: IndexStore,
  graph: CodeGraph,
  top: ReturnType<typeof reciprocalRankFusion>,
  chunkInfo: Map<string, ChunkRow>,
  key: (c: ChunkRow) => string,
): Promise<Channel["items"][number][]> {
  const items: Channel["items"][number][] = [];
  for (const hit of top) {
    const chunk = chunkInfo.get(hit.key);
    if (!chunk?.symbol) continue;
    const id = nodeId(chunk.path, chunk.symbol);
    const near = [
      ...(await graph.dependencies(id, { depth: 1, includeDefined: false })).map((r) => ({
        r,
        how: "used by",
      })),
      ...(await graph.impact(id, { depth: 1, includeDefined: false })).map((r) => ({ r, how: "uses" })),
    ];
    for (const { r, how } of near.slice(0, 8)) {
      const qualified = r.node.id.includes("#") ? r.node.id.slice(r.node.id.indexOf("#") + 1) : undefined;
      const target = store.chunks(r.node.path).find((c) => (qualified ? c.symbol === qualified : true));
      if (target) items.push({ key: key(target), reason: `graph: ${how} \`${chunk.symbol}\`` });
    }
  }
  return items;
}

/** Greedy packing by fused score; an item that does not fit is skipped, smaller ones may still fit. */
function pack(
  fused: ReturnType<typeof reciprocalRankFusion>,
  chunkInfo: Map<string, ChunkRow>,
  budget: number,
  limit: number,
): SearchResult {
  const items: SearchHit[] = [];
  let tokens = 0;
  let dropped = 0;
  for (const f of fused) {
    const c = chunkInfo.get(f.key);
    if (!c) continue;
    const cost = estimateTokens(`${c.path}:${c.startLine}-${c.endLine}\n${c.text}`);
    if (items.length >= limit || tokens + cost > budget) {
      dropped++;
      continue;
    }
    tokens += cost;
    const hit: SearchHit = {
      path: c.path,
      startLine: c.startLine,
      endLine: c.endLine,
      text: c.text,
      score: f.score,
      tokens: cost,
      reasons: [...new Set(f.reasons)],
    };
    if (c.symbol) hit.symbol = c.symbol;
    items.push(hit);
  }
  return { items, tokens, dropped };
}
