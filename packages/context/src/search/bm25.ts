import type { ChunkRow, IndexStore } from "../store/index-store.js";
import { tokenize } from "./tokenize.js";

/** Column weights for BM25: a term in the path or a defined name counts more than one in the body. */
export interface FieldWeights {
  path: number;
  symbols: number;
  body: number;
}

export const DEFAULT_FILE_WEIGHTS: FieldWeights = { path: 3, symbols: 2, body: 1 };
export const DEFAULT_CHUNK_WEIGHTS: FieldWeights = { path: 1.5, symbols: 3, body: 1 };

export interface ScoredFile {
  path: string;
  score: number;
}

export interface ScoredChunk extends ChunkRow {
  score: number;
}

/** Query terms as an FTS5 OR-expression; undefined when nothing searchable is left. */
export function ftsQuery(text: string, maxTerms = 256): string | undefined {
  const counts = new Map<string, number>();
  for (const t of tokenize(text)) counts.set(t, (counts.get(t) ?? 0) + 1);
  if (counts.size === 0) return undefined;
  const terms = [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, maxTerms)
    .map(([t]) => `"${t}"`);
  return terms.join(" OR ");
}

export interface Bm25Options {
  limit?: number;
  weights?: FieldWeights;
  /** Leave test files out (filtered inside the query, so the limit counts only the rest). */
  excludeTests?: boolean;
  /** Only files with a grammar (leave docs and config out). */
  codeOnly?: boolean;
}

const filterSql = "AND f.is_test <= ? AND f.language NOT IN (SELECT value FROM json_each(?))";
const filterArgs = (o: Bm25Options): [number, string] => [
  o.excludeTests ? 0 : 1,
  o.codeOnly ? '["text"]' : "[]",
];

/** BM25 over whole files (path, defined names, content). Higher score is better. */
export function searchFiles(store: IndexStore, query: string, options: Bm25Options = {}): ScoredFile[] {
  const match = ftsQuery(query);
  if (!match) return [];
  const weights = options.weights ?? DEFAULT_FILE_WEIGHTS;
  const rows = store.db
    .prepare(
      `SELECT f.path, -bm25(files_fts, ?, ?, ?) AS score
       FROM files_fts JOIN files f ON f.id = files_fts.rowid
       WHERE files_fts MATCH ? ${filterSql} ORDER BY score DESC LIMIT ?`,
    )
    .all(
      weights.path,
      weights.symbols,
      weights.body,
      match,
      ...filterArgs(options),
      options.limit ?? 50,
    ) as ScoredFile[];
  return rows;
}

/** BM25 over chunks (functions, methods, top-level code). Higher score is better. */
export function searchChunks(store: IndexStore, query: string, options: Bm25Options = {}): ScoredChunk[] {
  const match = ftsQuery(query);
  if (!match) return [];
  const weights = options.weights ?? DEFAULT_CHUNK_WEIGHTS;
  const rows = store.db
    .prepare(
      `SELECT c.id, f.path, c.start_line AS startLine, c.end_line AS endLine, c.symbol, c.text,
              -bm25(chunks_fts, ?, ?, ?) AS score
       FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid JOIN files f ON f.id = c.file_id
       WHERE chunks_fts MATCH ? ${filterSql} ORDER BY score DESC LIMIT ?`,
    )
    .all(
      weights.path,
      weights.symbols,
      weights.body,
      match,
      ...filterArgs(options),
      options.limit ?? 50,
    ) as Array<ScoredChunk & { symbol: string | null }>;
  return rows.map((r) => {
    const { symbol, ...rest } = r;
    return symbol === null ? rest : { ...rest, symbol };
  });
}
