import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { KeyValueStore } from "./port.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sets (key TEXT NOT NULL, member TEXT NOT NULL, PRIMARY KEY (key, member));
CREATE TABLE IF NOT EXISTS hashes (key TEXT NOT NULL, field TEXT NOT NULL, value REAL NOT NULL, PRIMARY KEY (key, field));
CREATE TABLE IF NOT EXISTS windows (key TEXT PRIMARY KEY, count INTEGER NOT NULL, ends_at INTEGER NOT NULL);
`;

/**
 * The key-value port in one SQLite file: what `toad serve` keeps tokens,
 * ownership, settings, costs and run records in when there is no Redis, so
 * a restart keeps them. One process only (that is what `toad serve` is).
 */
export class SqliteKeyValueStore implements KeyValueStore {
  private readonly db: Database.Database;

  constructor(
    path: string,
    private readonly now: () => number = Date.now,
  ) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    this.db.exec(SCHEMA);
  }

  async get(key: string): Promise<string | undefined> {
    const row = this.db.prepare("SELECT value FROM kv WHERE key = ?").get(key) as
      | { value: string }
      | undefined;
    return row?.value;
  }

  async set(key: string, value: string): Promise<void> {
    this.db
      .prepare(
        "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      )
      .run(key, value);
  }

  async setIfAbsent(key: string, value: string): Promise<boolean> {
    return (
      this.db.prepare("INSERT OR IGNORE INTO kv (key, value) VALUES (?, ?)").run(key, value).changes === 1
    );
  }

  async delete(key: string): Promise<void> {
    this.db.transaction(() => {
      for (const table of ["kv", "sets", "hashes", "windows"])
        this.db.prepare(`DELETE FROM ${table} WHERE key = ?`).run(key);
    })();
  }

  async addToSet(key: string, member: string): Promise<void> {
    this.db.prepare("INSERT OR IGNORE INTO sets (key, member) VALUES (?, ?)").run(key, member);
  }

  async removeFromSet(key: string, member: string): Promise<void> {
    this.db.prepare("DELETE FROM sets WHERE key = ? AND member = ?").run(key, member);
  }

  async members(key: string): Promise<string[]> {
    return (this.db.prepare("SELECT member FROM sets WHERE key = ?").all(key) as { member: string }[]).map(
      (row) => row.member,
    );
  }

  async incrementFields(key: string, deltas: Readonly<Record<string, number>>): Promise<void> {
    const add = this.db.prepare(
      "INSERT INTO hashes (key, field, value) VALUES (?, ?, ?) ON CONFLICT (key, field) DO UPDATE SET value = value + excluded.value",
    );
    this.db.transaction(() => {
      for (const [field, delta] of Object.entries(deltas)) add.run(key, field, delta);
    })();
  }

  async fields(key: string): Promise<Record<string, number>> {
    const rows = this.db.prepare("SELECT field, value FROM hashes WHERE key = ?").all(key) as {
      field: string;
      value: number;
    }[];
    return Object.fromEntries(rows.map((row) => [row.field, row.value]));
  }

  async hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }> {
    const at = this.now();
    return this.db.transaction(() => {
      const row = this.db.prepare("SELECT count, ends_at FROM windows WHERE key = ?").get(key) as
        | { count: number; ends_at: number }
        | undefined;
      const window =
        row === undefined || row.ends_at <= at
          ? { count: 1, ends_at: at + windowMs }
          : { count: row.count + 1, ends_at: row.ends_at };
      this.db
        .prepare("INSERT OR REPLACE INTO windows (key, count, ends_at) VALUES (?, ?, ?)")
        .run(key, window.count, window.ends_at);
      return { count: window.count, resetInMs: window.ends_at - at };
    })();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
