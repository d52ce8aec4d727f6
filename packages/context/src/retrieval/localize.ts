import type { Embedder } from "../embed/port.js";
import { RepoMapper } from "../map/repo-map.js";
import { languageForPath } from "../parse/languages.js";
import { type FieldWeights, searchChunks, searchFiles } from "../search/bm25.js";
import type { IndexStore } from "../store/index-store.js";
import type { VectorIndex } from "../vector/port.js";
import { type Channel, type ChannelItem, reciprocalRankFusion, scoreFusion } from "./fusion.js";
import { rankFunctions } from "./localize-functions.js";
import { isTestPath, looksLikeCode, querySignals } from "./signals.js";

export type LocalizeChannel = "fileBm25" | "chunkBm25" | "symbols" | "paths" | "pagerank" | "vectors";

export interface LocalizeOptions {
  /** Leave test files out of the ranking (the usual setting for bug localisation). Default true. */
  excludeTests?: boolean;
  /** Dense channel over chunk vectors keyed `chunk:<id>`; both or neither. */
  embedder?: Embedder;
  vectors?: VectorIndex;
  /** Reuse a mapper across calls on the same store. */
  mapper?: RepoMapper;
  /** "score" (default): CombSUM of max-normalised scores; "rrf": reciprocal rank fusion. */
  fusion?: "score" | "rrf";
  /** Channel weights and BM25 column weights, for experiments. */
  weights?: Partial<Record<LocalizeChannel, number>>;
  fileFields?: FieldWeights;
  chunkFields?: FieldWeights;
}

export const DEFAULT_LOCALIZE_WEIGHTS: Record<LocalizeChannel, number> = {
  fileBm25: 1,
  chunkBm25: 1,
  symbols: 0.3,
  paths: 0.5,
  pagerank: 0,
  vectors: 0.3,
};

export interface RankedFile {
  path: string;
  score: number;
  reasons: string[];
}

export interface RankedFunction {
  path: string;
  /** `Class.method` or `function`. */
  name: string;
  score: number;
}

export interface Localization {
  files: RankedFile[];
  functions: RankedFunction[];
}

const POOL = 100;

/**
 * Ranks the files and functions most likely to need a change for an issue
 * text, with no model: BM25 over files and over chunks, the identifiers and
 * paths the text names, PageRank personalised toward them, and vectors when
 * configured, fused into one ranking with the reasons for each file.
 */
export async function localize(
  store: IndexStore,
  issue: string,
  options: LocalizeOptions = {},
): Promise<Localization> {
  const weights = { ...DEFAULT_LOCALIZE_WEIGHTS, ...options.weights };
  const excludeTests = options.excludeTests !== false;
  const keep = excludeTests ? (p: string) => !isTestPath(p) : () => true;
  const signals = querySignals(store, issue);
  const fileHits = searchFiles(store, issue, {
    limit: POOL * 2,
    excludeTests,
    codeOnly: true,
    ...(options.fileFields ? { weights: options.fileFields } : {}),
  });
  const chunkHits = searchChunks(store, issue, {
    limit: POOL * 4,
    excludeTests,
    codeOnly: true,
    ...(options.chunkFields ? { weights: options.chunkFields } : {}),
  });

  // A name defined in one place says more than one defined in twenty, and `hue_order` more than `plot`.
  const named = [...signals.identifiers.entries()]
    .map(([name, definers]) => ({ name, weight: (looksLikeCode(name) ? 2 : 1) / Math.sqrt(definers) }))
    .sort((a, b) => b.weight - a.weight);
  const symbolScore = new Map<string, { score: number; names: string[] }>();
  for (const { name, weight } of named) {
    for (const d of store.defsNamed([name])) {
      if (!keep(d.path)) continue;
      const entry = symbolScore.get(d.path) ?? { score: 0, names: [] };
      if (!entry.names.includes(name)) {
        entry.score += weight;
        entry.names.push(name);
      }
      symbolScore.set(d.path, entry);
    }
  }
  const pathItems = signals.paths
    .filter(keep)
    .map((p) => ({ key: p, reason: "named in the text", score: 1 }));

  const mapper = options.mapper ?? new RepoMapper(store);
  const focusFiles = [...new Set([...signals.paths, ...[...symbolScore.keys()].slice(0, 10)])];
  const pageRanked = mapper
    .render({ focusFiles, focusIdentifiers: named.slice(0, 10).map((n) => n.name), tokenBudget: 0 })
    .files.filter((f) => keep(f.path))
    .slice(0, POOL);

  const channels: Channel[] = [
    {
      name: "fileBm25",
      weight: weights.fileBm25,
      items: fileHits.map((f, i) => ({ key: f.path, reason: `file BM25 #${i + 1}`, score: f.score })),
    },
    {
      name: "chunkBm25",
      weight: weights.chunkBm25,
      items: chunkHits.map((c, i) => ({
        key: c.path,
        reason: `chunk BM25 #${i + 1}${c.symbol ? ` (${c.symbol})` : ""}`,
        score: c.score,
      })),
    },
    {
      name: "symbols",
      weight: weights.symbols,
      items: [...symbolScore.entries()]
        .sort((a, b) => b[1].score - a[1].score)
        .map(([path, s]) => ({
          key: path,
          reason: `defines ${s.names.map((n) => `\`${n}\``).join(", ")}`,
          score: s.score,
        })),
    },
    { name: "paths", weight: weights.paths, items: pathItems },
    {
      name: "pagerank",
      weight: focusFiles.length > 0 ? weights.pagerank : 0,
      items: pageRanked.map((f, i) => ({ key: f.path, reason: `PageRank #${i + 1}`, score: f.rank })),
    },
  ];
  const vectorItems = await vectorChannel(store, issue, options, keep);
  if (vectorItems.length > 0) channels.push({ name: "vectors", weight: weights.vectors, items: vectorItems });

  const fused = options.fusion === "rrf" ? reciprocalRankFusion(channels) : scoreFusion(channels);
  const files = fused.map((f) => ({ path: f.key, score: f.score, reasons: f.reasons }));
  const functions = rankFunctions(store, files, chunkHits, named, keep);
  return { files, functions };
}

async function vectorChannel(
  store: IndexStore,
  issue: string,
  options: LocalizeOptions,
  keep: (path: string) => boolean,
): Promise<ChannelItem[]> {
  if (!options.embedder || !options.vectors) return [];
  const [vector] = await options.embedder.embed([issue]);
  if (!vector) return [];
  const hits = await options.vectors.search(vector, POOL * 4);
  const ids = hits.map((h) => Number(h.id.replace(/^chunk:/, "")));
  const byId = new Map(store.chunksById(ids).map((c) => [c.id, c]));
  const items: ChannelItem[] = [];
  hits.forEach((h, i) => {
    const c = byId.get(ids[i] ?? -1);
    if (c && keep(c.path) && languageForPath(c.path) && h.score > 0)
      items.push({ key: c.path, reason: `vector #${i + 1}`, score: h.score });
  });
  return items;
}
