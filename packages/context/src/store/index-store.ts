import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import type { Chunk, ImportRef, InheritRef, SymbolDef, SymbolRef } from "../parse/types.js";
import { isTestPath } from "../search/test-paths.js";
import { DROP_ALL, INDEX_FORMAT_VERSION, SCHEMA } from "./schema.js";

export interface StoredFile {
  id: number;
  path: string;
  hash: string;
  language: string;
  size: number;
  hasError: boolean;
  imports: ImportRef[];
  inherits: InheritRef[];
}

export interface DefRow extends SymbolDef {
  id: number;
  path: string;
}

export interface RefRow extends SymbolRef {
  path: string;
}

export interface ChunkRow extends Chunk {
  id: number;
  path: string;
}

/** What the indexer writes for one file: its analysis plus the BM25 token strings. */
export interface FileRecord {
  path: string;
  hash: string;
  language: string;
  size: number;
  hasError: boolean;
  defs: SymbolDef[];
  refs: SymbolRef[];
  imports: ImportRef[];
  inherits: InheritRef[];
  chunks: Chunk[];
  tokens: { path: string; symbols: string; body: string };
  chunkTokens: Array<{ symbols: string; body: string }>;
}

interface DefDbRow {
  id: number;
  path: string;
  name: string;
  kind: string;
  qualified_name: string;
  parent: string | null;
  signature: string;
  start_line: number;
  start_col: number;
  end_line: number;
  end_col: number;
}

const DEF_COLUMNS = `d.id, f.path, d.name, d.kind, d.qualified_name, d.parent, d.signature,
  d.start_line, d.start_col, d.end_line, d.end_col`;

function toDef(r: DefDbRow): DefRow {
  const def: DefRow = {
    id: r.id,
    path: r.path,
    name: r.name,
    kind: r.kind,
    qualifiedName: r.qualified_name,
    signature: r.signature,
    start: { line: r.start_line, column: r.start_col },
    end: { line: r.end_line, column: r.end_col },
  };
  if (r.parent !== null) def.parent = r.parent;
  return def;
}

/** The embedded index: one SQLite file (or `:memory:`) holding files, symbols, chunks and BM25 tables. */
export class IndexStore {
  readonly db: Database.Database;

  private constructor(db: Database.Database) {
    this.db = db;
  }

  /** Where a repository's index lives by default: `<root>/.toad/index.sqlite`. */
  static defaultPath(root: string): string {
    return join(root, ".toad", "index.sqlite");
  }

  /** Opens (creating if needed) the store at `location`; `:memory:` for a throwaway index. */
  static open(location = ":memory:"): IndexStore {
    if (location !== ":memory:") mkdirSync(dirname(location), { recursive: true });
    const db = new Database(location);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    const version = db.prepare("SELECT value FROM meta WHERE key = 'format'").pluck().get();
    if (version !== INDEX_FORMAT_VERSION) db.exec(DROP_ALL);
    db.exec(SCHEMA);
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('format', ?)").run(INDEX_FORMAT_VERSION);
    return new IndexStore(db);
  }

  close(): void {
    this.db.close();
  }

  fileHashes(): Map<string, string> {
    const rows = this.db.prepare("SELECT path, hash FROM files").all() as Array<{
      path: string;
      hash: string;
    }>;
    return new Map(rows.map((r) => [r.path, r.hash]));
  }

  files(): StoredFile[] {
    const rows = this.db.prepare("SELECT * FROM files ORDER BY path").all() as Array<{
      id: number;
      path: string;
      hash: string;
      language: string;
      size: number;
      has_error: number;
      imports: string;
      inherits: string;
    }>;
    return rows.map((r) => ({
      id: r.id,
      path: r.path,
      hash: r.hash,
      language: r.language,
      size: r.size,
      hasError: r.has_error === 1,
      imports: JSON.parse(r.imports) as ImportRef[],
      inherits: JSON.parse(r.inherits) as InheritRef[],
    }));
  }

  /** Replaces everything stored for one file, atomically. */
  writeFile(record: FileRecord): void {
    this.transaction(() => {
      this.deleteRows(record.path);
      const fileId = Number(
        this.db
          .prepare(
            `INSERT INTO files (path, hash, language, size, has_error, is_test, imports, inherits)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            record.path,
            record.hash,
            record.language,
            record.size,
            record.hasError ? 1 : 0,
            isTestPath(record.path) ? 1 : 0,
            JSON.stringify(record.imports),
            JSON.stringify(record.inherits),
          ).lastInsertRowid,
      );
      const insertDef = this.db.prepare(
        `INSERT INTO defs (file_id, name, kind, qualified_name, parent, signature, start_line, start_col, end_line, end_col)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const d of record.defs) {
        insertDef.run(
          fileId,
          d.name,
          d.kind,
          d.qualifiedName,
          d.parent ?? null,
          d.signature,
          d.start.line,
          d.start.column,
          d.end.line,
          d.end.column,
        );
      }
      const insertRef = this.db.prepare(
        "INSERT INTO refs (file_id, name, kind, enclosing, count, positions) VALUES (?, ?, ?, ?, ?, ?)",
      );
      for (const g of groupRefs(record.refs)) {
        insertRef.run(fileId, g.name, g.kind, g.enclosing ?? null, g.positions.length, g.positions.join(" "));
      }
      const insertChunk = this.db.prepare(
        "INSERT INTO chunks (file_id, start_line, end_line, symbol, text) VALUES (?, ?, ?, ?, ?)",
      );
      const insertChunkFts = this.db.prepare(
        "INSERT INTO chunks_fts (rowid, path, symbols, body) VALUES (?, ?, ?, ?)",
      );
      record.chunks.forEach((c, i) => {
        const id = insertChunk.run(fileId, c.startLine, c.endLine, c.symbol ?? null, c.text).lastInsertRowid;
        const t = record.chunkTokens[i];
        insertChunkFts.run(id, record.tokens.path, t?.symbols ?? "", t?.body ?? "");
      });
      this.db
        .prepare("INSERT INTO files_fts (rowid, path, symbols, body) VALUES (?, ?, ?, ?)")
        .run(fileId, record.tokens.path, record.tokens.symbols, record.tokens.body);
    });
  }

  removeFile(path: string): void {
    this.transaction(() => this.deleteRows(path));
  }

  transaction(work: () => void): void {
    this.db.transaction(work)();
  }

  private deleteRows(path: string): void {
    const id = this.db.prepare("SELECT id FROM files WHERE path = ?").pluck().get(path) as number | undefined;
    if (id === undefined) return;
    const chunkIds = this.db.prepare("SELECT id FROM chunks WHERE file_id = ?").pluck().all(id) as number[];
    const deleteChunkFts = this.db.prepare("DELETE FROM chunks_fts WHERE rowid = ?");
    for (const c of chunkIds) deleteChunkFts.run(c);
    this.db.prepare("DELETE FROM files_fts WHERE rowid = ?").run(id);
    for (const table of ["defs", "refs", "chunks"]) {
      this.db.prepare(`DELETE FROM ${table} WHERE file_id = ?`).run(id);
    }
    this.db.prepare("DELETE FROM files WHERE id = ?").run(id);
  }

  defs(path?: string): DefRow[] {
    const sql = `SELECT ${DEF_COLUMNS} FROM defs d JOIN files f ON f.id = d.file_id`;
    const rows = path
      ? this.db.prepare(`${sql} WHERE f.path = ? ORDER BY d.start_line`).all(path)
      : this.db.prepare(`${sql} ORDER BY f.path, d.start_line`).all();
    return (rows as DefDbRow[]).map(toDef);
  }

  defsNamed(names: readonly string[]): DefRow[] {
    if (names.length === 0) return [];
    const rows = this.db
      .prepare(
        `SELECT ${DEF_COLUMNS} FROM defs d JOIN files f ON f.id = d.file_id
         WHERE d.name IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(names)) as DefDbRow[];
    return rows.map(toDef);
  }

  /** References grouped by (name, kind, enclosing definition), with their occurrence count. */
  refGroups(path: string): Array<{ name: string; kind: string; enclosing?: string; count: number }> {
    const rows = this.db
      .prepare(
        `SELECT r.name, r.kind, r.enclosing, r.count FROM refs r JOIN files f ON f.id = r.file_id WHERE f.path = ?`,
      )
      .all(path) as Array<{ name: string; kind: string; enclosing: string | null; count: number }>;
    return rows.map((r) =>
      r.enclosing === null
        ? { name: r.name, kind: r.kind, count: r.count }
        : { ...r, enclosing: r.enclosing },
    );
  }

  /** Every reference occurrence, in source order per file. */
  refs(path?: string): RefRow[] {
    const sql = `SELECT f.path, r.name, r.kind, r.enclosing, r.positions
      FROM refs r JOIN files f ON f.id = r.file_id`;
    const rows = (
      path ? this.db.prepare(`${sql} WHERE f.path = ?`).all(path) : this.db.prepare(sql).all()
    ) as Array<{
      path: string;
      name: string;
      kind: string;
      enclosing: string | null;
      positions: string;
    }>;
    const out: RefRow[] = [];
    for (const r of rows) {
      for (const position of r.positions.split(" ")) {
        const [line, column] = position.split(":").map(Number);
        const ref: RefRow = {
          path: r.path,
          name: r.name,
          kind: r.kind,
          line: line ?? 0,
          column: column ?? 0,
        };
        if (r.enclosing !== null) ref.enclosing = r.enclosing;
        out.push(ref);
      }
    }
    return out.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line || a.column - b.column);
  }

  chunks(path?: string): ChunkRow[] {
    const sql = `SELECT c.id, f.path, c.start_line AS startLine, c.end_line AS endLine, c.symbol, c.text
      FROM chunks c JOIN files f ON f.id = c.file_id`;
    const rows = (
      path
        ? this.db.prepare(`${sql} WHERE f.path = ? ORDER BY c.start_line`).all(path)
        : this.db.prepare(sql).all()
    ) as Array<ChunkRow & { symbol: string | null }>;
    return rows.map(normaliseChunk);
  }

  chunksById(ids: readonly number[]): ChunkRow[] {
    if (ids.length === 0) return [];
    const rows = this.db
      .prepare(
        `SELECT c.id, f.path, c.start_line AS startLine, c.end_line AS endLine, c.symbol, c.text
         FROM chunks c JOIN files f ON f.id = c.file_id WHERE c.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(ids)) as Array<ChunkRow & { symbol: string | null }>;
    return rows.map(normaliseChunk);
  }

  counts(): { files: number; defs: number; refs: number; chunks: number } {
    const count = (sql: string): number => (this.db.prepare(sql).pluck().get() as number | null) ?? 0;
    return {
      files: count("SELECT count(*) FROM files"),
      defs: count("SELECT count(*) FROM defs"),
      refs: count("SELECT sum(count) FROM refs"),
      chunks: count("SELECT count(*) FROM chunks"),
    };
  }
}

interface RefGroup {
  name: string;
  kind: string;
  enclosing?: string;
  positions: string[];
}

function groupRefs(refs: readonly SymbolRef[]): RefGroup[] {
  const groups = new Map<string, RefGroup>();
  for (const r of refs) {
    const key = `${r.name}\0${r.kind}\0${r.enclosing ?? ""}`;
    let g = groups.get(key);
    if (!g) {
      g = { name: r.name, kind: r.kind, positions: [] };
      if (r.enclosing !== undefined) g.enclosing = r.enclosing;
      groups.set(key, g);
    }
    g.positions.push(`${r.line}:${r.column}`);
  }
  return [...groups.values()];
}

function normaliseChunk(r: ChunkRow & { symbol: string | null }): ChunkRow {
  const chunk: ChunkRow = {
    id: r.id,
    path: r.path,
    startLine: r.startLine,
    endLine: r.endLine,
    text: r.text,
  };
  if (r.symbol !== null) chunk.symbol = r.symbol;
  return chunk;
}
