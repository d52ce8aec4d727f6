import { createHash } from "node:crypto";
import { MAX_CHUNK_CHARS } from "../parse/chunker.js";
import type { Chunk, FileAnalysis } from "../parse/types.js";
import { pathTokens, tokenize } from "../search/tokenize.js";
import type { FileRecord } from "../store/index-store.js";

export function contentHash(content: string): string {
  return createHash("sha1").update(content).digest("hex");
}

const join = (tokens: string[]): string => tokens.join(" ");

/** The stored form of a parsed file, with its BM25 token strings. */
export function recordFromAnalysis(analysis: FileAnalysis, content: string, hash: string): FileRecord {
  const symbolText = analysis.defs.map((d) => d.qualifiedName).join(" ");
  // Chunks cover the file, so the file's body tokens are the chunks' tokens: tokenise once.
  const chunkTokens = analysis.chunks.map((c) => {
    const inside = analysis.defs.filter((d) => d.start.line >= c.startLine && d.start.line <= c.endLine);
    const names = [c.symbol ?? "", ...inside.map((d) => d.qualifiedName)].join(" ");
    return { symbols: join(tokenize(names)), body: join(tokenize(c.text)) };
  });
  return {
    path: analysis.path,
    hash,
    language: analysis.language,
    size: content.length,
    hasError: analysis.hasError,
    defs: analysis.defs,
    refs: analysis.refs,
    imports: analysis.imports,
    inherits: analysis.inherits,
    chunks: analysis.chunks,
    tokens: {
      path: join(pathTokens(analysis.path)),
      symbols: join(tokenize(symbolText)),
      body: chunkTokens.map((t) => t.body).join(" "),
    },
    chunkTokens,
  };
}

/** A file with no grammar (docs, config): BM25 only, chunked by lines. */
export function recordFromText(path: string, content: string, hash: string): FileRecord {
  const lines = content.split("\n");
  const chunks: Chunk[] = [];
  let start = 1;
  let size = 0;
  for (let l = 1; l <= lines.length + 1; l++) {
    const len = l <= lines.length ? (lines[l - 1]?.length ?? 0) + 1 : Number.POSITIVE_INFINITY;
    if (size + len > MAX_CHUNK_CHARS && l > start) {
      const text = lines.slice(start - 1, l - 1).join("\n");
      if (text.trim()) chunks.push({ startLine: start, endLine: l - 1, text });
      start = l;
      size = 0;
    }
    size += len;
  }
  return {
    path,
    hash,
    language: "text",
    size: content.length,
    hasError: false,
    defs: [],
    refs: [],
    imports: [],
    inherits: [],
    chunks,
    tokens: { path: join(pathTokens(path)), symbols: "", body: join(tokenize(content)) },
    chunkTokens: chunks.map((c) => ({ symbols: "", body: join(tokenize(c.text)) })),
  };
}
