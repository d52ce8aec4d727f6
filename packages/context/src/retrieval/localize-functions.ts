import type { ScoredChunk } from "../search/bm25.js";
import type { IndexStore } from "../store/index-store.js";
import type { RankedFile, RankedFunction } from "./localize.js";
import { looksLikeCode } from "./signals.js";

const FUNCTION_KINDS = new Set(["function", "method"]);
/** Every function of this many top files is a candidate, hit by BM25 or not. */
const PRIOR_FILES = 3;
const WEIGHTS = { chunk: 1, file: 0.5, named: 0.5 };

/**
 * Function-level ranking: a function's best chunk BM25 score (normalised to
 * the best chunk), 1/rank of its file in the fused file ranking, and whether
 * the issue names it.
 */
export function rankFunctions(
  store: IndexStore,
  files: readonly RankedFile[],
  chunkHits: readonly ScoredChunk[],
  named: ReadonlyArray<{ name: string }>,
  keep: (path: string) => boolean,
): RankedFunction[] {
  // The file's place in the fused ranking, as 1/rank: the first file counts double the second.
  const filePrior = new Map(files.map((f, i) => [f.path, 1 / (i + 1)]));
  const functionsOf = new Map<string, Map<string, string>>();
  const functionNames = (path: string): Map<string, string> => {
    let map = functionsOf.get(path);
    if (!map) {
      map = new Map(
        store.defs(path).flatMap((d) => (FUNCTION_KINDS.has(d.kind) ? [[d.qualifiedName, d.name]] : [])),
      );
      functionsOf.set(path, map);
    }
    return map;
  };

  const candidates = new Map<string, { path: string; name: string; chunk: number; named: number }>();
  const candidate = (path: string, name: string) => {
    const key = `${path}:${name}`;
    let c = candidates.get(key);
    if (!c) {
      c = { path, name, chunk: 0, named: 0 };
      candidates.set(key, c);
    }
    return c;
  };
  const topChunk = chunkHits[0]?.score ?? 1;
  for (const hit of chunkHits) {
    if (!hit.symbol || !functionNames(hit.path).has(hit.symbol)) continue;
    const c = candidate(hit.path, hit.symbol);
    c.chunk = Math.max(c.chunk, hit.score / topChunk);
  }
  for (const f of files.slice(0, PRIOR_FILES))
    for (const q of functionNames(f.path).keys()) candidate(f.path, q);
  const mentioned = new Map(named.map((n) => [n.name, looksLikeCode(n.name) ? 1 : 0.5]));
  for (const d of store.defsNamed([...mentioned.keys()])) {
    if (!FUNCTION_KINDS.has(d.kind) || !keep(d.path)) continue;
    candidate(d.path, d.qualifiedName).named = mentioned.get(d.name) ?? 0;
  }
  return [...candidates.values()]
    .map((c) => ({
      path: c.path,
      name: c.name,
      score: WEIGHTS.chunk * c.chunk + WEIGHTS.file * (filePrior.get(c.path) ?? 0) + WEIGHTS.named * c.named,
    }))
    .sort((a, b) => b.score - a.score || a.path.localeCompare(b.path) || a.name.localeCompare(b.name));
}
