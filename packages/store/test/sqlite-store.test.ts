import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, test } from "vitest";
import { captureFiles, openSqliteStore, SCHEMA_VERSION, StoreError } from "../src/index.js";
import { useCleanup } from "./support/harness.js";

/** What only the SQLite adapter promises: a file that outlives the process and stays compact. */
describe("sqlite adapter", () => {
  const cleanup = useCleanup();
  const base = { model: "m", permissionMode: "ask" } as const;

  test("creates its directory; the log, cost and checkpoints survive a reopen and seq continues", async () => {
    const dir = await cleanup.tempDir();
    const path = join(dir, "nested", "data", "toad.db");
    const first = openSqliteStore({ path });
    const session = await first.create({ ...base, cwd: dir });
    await first.append(session.id, { type: "user_message", text: "hello" });
    await first.append(session.id, {
      type: "usage",
      model: "m",
      inputTokens: 3,
      outputTokens: 4,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd: 0.125,
    });
    await writeFile(join(dir, "f.txt"), "before");
    await first.checkpoint(session.id, 2, await captureFiles([join(dir, "f.txt")]));
    await writeFile(join(dir, "f.txt"), "after");
    await first.close();

    const second = cleanup.track(openSqliteStore({ path }));
    expect(await second.get(session.id)).toMatchObject({ lastSeq: 2, costUsd: 0.125, title: "hello" });
    expect((await second.append(session.id, { type: "text_delta", text: "more" })).seq).toBe(3);
    expect((await second.events(session.id)).map((e) => e.type)).toEqual([
      "user_message",
      "usage",
      "text_delta",
    ]);
    expect((await second.undo(session.id)).ok).toBe(true);
    expect(await readFile(join(dir, "f.txt"), "utf8")).toBe("before");
  });

  test("the file is in WAL mode at the current schema version", async () => {
    const path = join(await cleanup.tempDir(), "toad.db");
    await openSqliteStore({ path }).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  test("repeated snapshots of a big file are stored once", async () => {
    const dir = await cleanup.tempDir();
    const path = join(dir, "toad.db");
    const store = cleanup.track(openSqliteStore({ path }));
    const session = await store.create({ ...base, cwd: dir });
    await store.append(session.id, { type: "user_message", text: "edit it" });
    const big = Buffer.alloc(1 << 20, "toad ");
    for (let i = 0; i < 20; i++) await store.checkpoint(session.id, 1, [{ path: "big.bin", content: big }]);
    await store.checkpoint(session.id, 1, [{ path: "big.bin", content: `${big.toString()}!` }]);
    await store.close();

    const db = new Database(path, { readonly: true });
    expect(db.prepare("SELECT count(*) AS n, sum(size) AS bytes FROM blobs").get()).toEqual({
      n: 2,
      bytes: 2 * (1 << 20) + 1,
    });
    db.close();
    // 21 checkpoints of a 1 MiB file: about 2 MiB on disk, not 21.
    const onDisk =
      (await stat(path)).size +
      (await stat(`${path}-wal`).then(
        (s) => s.size,
        () => 0,
      ));
    expect(onDisk).toBeLessThan(3 * (1 << 20));
  });

  test("a database from a newer schema is refused, not damaged", async () => {
    const path = join(await cleanup.tempDir(), "toad.db");
    await openSqliteStore({ path }).close();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const error = (() => {
      try {
        openSqliteStore({ path });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe("schema_too_new");
  });

  test("a damaged event row is reported as corrupt_data naming the seq", async () => {
    const path = join(await cleanup.tempDir(), "toad.db");
    const store = cleanup.track(openSqliteStore({ path }));
    const session = await store.create({ ...base, cwd: "/r" });
    await store.append(session.id, { type: "text_delta", text: "fine" });
    await store.append(session.id, { type: "text_delta", text: "to be damaged" });
    const db = new Database(path);
    db.prepare("UPDATE events SET event = '{not json' WHERE seq = 2").run();
    db.close();
    await expect(store.events(session.id, { afterSeq: 1 })).rejects.toThrow(
      /event 2 of session .* cannot be read/,
    );
    expect(await store.events(session.id, { limit: 1 })).toHaveLength(1);
  });

  test("durability 'normal' keeps the same contract", async () => {
    const path = join(await cleanup.tempDir(), "toad.db");
    const store = cleanup.track(openSqliteStore({ path, durability: "normal" }));
    const session = await store.create({ ...base, cwd: "/r" });
    for (let i = 0; i < 10; i++) await store.append(session.id, { type: "text_delta", text: `${i}` });
    expect((await store.get(session.id))?.lastSeq).toBe(10);
  });
});
