import type { Node } from "web-tree-sitter";
import type { Chunk, SymbolDef } from "./types.js";

/** About 600 tokens: small enough to rank precisely, large enough to hold a function. */
export const MAX_CHUNK_CHARS = 2400;
const LEAF_KINDS = new Set(["function", "method"]);

/**
 * AST-aware chunks: one per function or method (a large one split at statement
 * boundaries, each piece headed by the signature), then the remaining lines
 * (class bodies, top-level code) in runs that respect the size cap.
 */
export function chunkFile(
  source: string,
  defNodes: ReadonlyArray<{ def: SymbolDef; node: Node }>,
  maxChars = MAX_CHUNK_CHARS,
): Chunk[] {
  const lines = source.split("\n");
  const covered = new Uint8Array(lines.length + 2);
  const chunks: Chunk[] = [];
  let lastEnd = 0;
  for (const { def, node } of defNodes) {
    if (!LEAF_KINDS.has(def.kind)) continue;
    // Nested functions stay inside their outer function's chunk.
    if (def.start.line <= lastEnd) continue;
    lastEnd = def.end.line;
    for (let l = def.start.line; l <= def.end.line; l++) covered[l] = 1;
    chunks.push(...splitDefinition(def, node, lines, maxChars));
  }
  chunks.push(...residualChunks(lines, covered, defNodes, maxChars));
  return chunks.sort((a, b) => a.startLine - b.startLine);
}

function sliceLines(lines: string[], start: number, end: number): string {
  return lines.slice(start - 1, end).join("\n");
}

function splitDefinition(def: SymbolDef, node: Node, lines: string[], maxChars: number): Chunk[] {
  const whole = sliceLines(lines, def.start.line, def.end.line);
  if (whole.length <= maxChars) {
    return [{ startLine: def.start.line, endLine: def.end.line, symbol: def.qualifiedName, text: whole }];
  }
  const body = node.childForFieldName("body");
  const statements = body ? body.namedChildren.filter((c): c is Node => c !== null) : [];
  if (statements.length < 2)
    return windowed(lines, def.start.line, def.end.line, maxChars, def.qualifiedName, "");
  const header = def.signature;
  const pieces: Chunk[] = [];
  let pieceStart = def.start.line;
  let pieceEnd = def.start.line;
  for (const statement of statements) {
    const sEnd = statement.endPosition.row + 1;
    const candidate = sliceLines(lines, pieceStart, sEnd);
    if (candidate.length > maxChars && pieceEnd >= pieceStart && pieceEnd > def.start.line) {
      pieces.push(piece(lines, pieceStart, pieceEnd, def, pieces.length === 0 ? "" : header));
      pieceStart = pieceEnd + 1;
    }
    pieceEnd = sEnd;
  }
  pieceEnd = Math.max(pieceEnd, def.end.line);
  if (pieceStart <= pieceEnd)
    pieces.push(piece(lines, pieceStart, pieceEnd, def, pieces.length === 0 ? "" : header));
  // A single statement larger than the cap is cut by lines, keeping the header.
  return pieces.flatMap((p) =>
    p.text.length > maxChars * 2
      ? windowed(
          lines,
          p.startLine,
          p.endLine,
          maxChars,
          def.qualifiedName,
          p.startLine === def.start.line ? "" : header,
        )
      : [p],
  );
}

function piece(lines: string[], start: number, end: number, def: SymbolDef, header: string): Chunk {
  const text = sliceLines(lines, start, end);
  return {
    startLine: start,
    endLine: end,
    symbol: def.qualifiedName,
    text: header ? `${header}\n${text}` : text,
  };
}

/** Fixed windows of whole lines; `header` (a signature) heads every window but the first. */
function windowed(
  lines: string[],
  start: number,
  end: number,
  maxChars: number,
  symbol: string | undefined,
  header: string,
): Chunk[] {
  const out: Chunk[] = [];
  let from = start;
  let size = 0;
  for (let l = start; l <= end; l++) {
    const len = (lines[l - 1]?.length ?? 0) + 1;
    if (size + len > maxChars && l > from) {
      out.push(windowChunk(lines, from, l - 1, symbol, out.length === 0 ? "" : header));
      from = l;
      size = 0;
    }
    size += len;
  }
  if (from <= end) out.push(windowChunk(lines, from, end, symbol, out.length === 0 ? "" : header));
  return out;
}

function windowChunk(
  lines: string[],
  start: number,
  end: number,
  symbol: string | undefined,
  header: string,
): Chunk {
  const text = sliceLines(lines, start, end);
  const chunk: Chunk = { startLine: start, endLine: end, text: header ? `${header}\n${text}` : text };
  if (symbol) chunk.symbol = symbol;
  return chunk;
}

/** Lines outside every function: grouped into runs, each attributed to its innermost class. */
function residualChunks(
  lines: string[],
  covered: Uint8Array,
  defNodes: ReadonlyArray<{ def: SymbolDef }>,
  maxChars: number,
): Chunk[] {
  const containers = defNodes.map((d) => d.def).filter((d) => !LEAF_KINDS.has(d.kind));
  const ownerOf = (line: number): SymbolDef | undefined => {
    let best: SymbolDef | undefined;
    for (const d of containers) {
      if (d.start.line <= line && d.end.line >= line && d.end.line - d.start.line > 0) {
        if (!best || d.start.line >= best.start.line) best = d;
      }
    }
    return best;
  };
  const out: Chunk[] = [];
  let line = 1;
  while (line <= lines.length) {
    if (covered[line] || !lines[line - 1]?.trim()) {
      line++;
      continue;
    }
    const owner = ownerOf(line);
    let end = line;
    while (end + 1 <= lines.length && !covered[end + 1] && ownerOf(end + 1) === owner) end++;
    const header = owner && owner.start.line < line ? owner.signature : "";
    const text = sliceLines(lines, line, end);
    if (text.trim()) {
      const windows = windowed(lines, line, end, maxChars, owner?.qualifiedName, owner?.signature ?? "");
      if (header && windows[0]) windows[0].text = `${header}\n${windows[0].text}`;
      out.push(...windows);
    }
    line = end + 1;
  }
  return out;
}
