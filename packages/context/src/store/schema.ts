/**
 * Bump when extraction or tokenisation changes: a store written by another
 * version is cleared and rebuilt on the next index instead of mixing formats.
 */
export const INDEX_FORMAT_VERSION = "7";

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  hash TEXT NOT NULL,
  language TEXT NOT NULL,
  size INTEGER NOT NULL,
  has_error INTEGER NOT NULL,
  is_test INTEGER NOT NULL,
  imports TEXT NOT NULL,
  inherits TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS defs (
  id INTEGER PRIMARY KEY,
  file_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  qualified_name TEXT NOT NULL,
  parent TEXT,
  signature TEXT NOT NULL,
  start_line INTEGER NOT NULL,
  start_col INTEGER NOT NULL,
  end_line INTEGER NOT NULL,
  end_col INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS defs_file ON defs(file_id);
CREATE INDEX IF NOT EXISTS defs_name ON defs(name);
-- One row per (file, name, kind, enclosing definition): \`positions\` lists every
-- occurrence as "line:col" separated by spaces. Grouping keeps big files (test
-- suites with thousands of calls) from costing a row per call.
CREATE TABLE IF NOT EXISTS refs (
  file_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  enclosing TEXT,
  count INTEGER NOT NULL,
  positions TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS refs_file ON refs(file_id);
CREATE INDEX IF NOT EXISTS refs_name ON refs(name);
CREATE TABLE IF NOT EXISTS chunks (
  id INTEGER PRIMARY KEY,
  file_id INTEGER NOT NULL,
  start_line INTEGER NOT NULL,
  end_line INTEGER NOT NULL,
  symbol TEXT,
  text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_file ON chunks(file_id);
-- BM25 over pre-tokenised text (see search/tokenize.ts); contentless, rows keyed
-- by files.id and chunks.id.
CREATE VIRTUAL TABLE IF NOT EXISTS files_fts USING fts5(path, symbols, body, content='', contentless_delete=1);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(path, symbols, body, content='', contentless_delete=1);
`;

export const DROP_ALL = `
DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS defs; DROP TABLE IF EXISTS refs;
DROP TABLE IF EXISTS chunks; DROP TABLE IF EXISTS files_fts; DROP TABLE IF EXISTS chunks_fts;
`;
