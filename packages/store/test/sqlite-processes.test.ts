import { rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openSqliteStore } from "../src/index.js";
import { bundleChild, runChild } from "./support/child.js";
import { useCleanup } from "./support/harness.js";

/** Real child processes on one database file: concurrent writers, and a writer killed mid-append. */
describe("sqlite adapter across processes", () => {
  const cleanup = useCleanup();
  let appender = "";
  beforeAll(async () => {
    appender = await bundleChild("appender");
  });
  afterAll(async () => {
    await rm(dirname(appender), { recursive: true, force: true });
  });

  function integrity(path: string): unknown {
    const db = new Database(path, { readonly: true });
    try {
      return db.pragma("integrity_check", { simple: true });
    } finally {
      db.close();
    }
  }

  test("two processes appending to one new file, one session each, corrupt nothing", async () => {
    const path = join(await cleanup.tempDir(), "toad.db");
    const count = 400;
    // Both open the file before it exists: schema creation races too.
    const children = ["left", "right"].map((tag) => runChild(appender, [path, tag, String(count), tag]));
    const exits = await Promise.all(children.map((child) => child.exit));
    expect(exits.map((exit) => [exit.code, exit.stderr])).toEqual([
      [0, ""],
      [0, ""],
    ]);

    const store = cleanup.track(openSqliteStore({ path }));
    for (const tag of ["left", "right"]) {
      const events = await store.events(tag);
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
      expect(events.map((e) => (e.type === "text_delta" ? e.text : ""))).toEqual(
        Array.from({ length: count }, (_, i) => `${tag} ${i + 1}`),
      );
      expect((await store.get(tag))?.lastSeq).toBe(count);
    }
    expect(integrity(path)).toBe("ok");
  });

  test("two processes appending to the same session get distinct, gapless seqs", async () => {
    const path = join(await cleanup.tempDir(), "toad.db");
    const store = cleanup.track(openSqliteStore({ path }));
    await store.create({ id: "shared", cwd: "/work", model: "scripted", permissionMode: "ask" });
    const count = 300;
    const children = ["a", "b"].map((tag) => runChild(appender, [path, "shared", String(count), tag]));
    const exits = await Promise.all(children.map((child) => child.exit));
    expect(exits.map((exit) => exit.code)).toEqual([0, 0]);

    const events = await store.events("shared");
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 2 * count }, (_, i) => i + 1));
    // Each child saw the seq it printed stored with its own text.
    const bySeq = new Map(events.map((e) => [e.seq, e.type === "text_delta" ? e.text : ""]));
    for (const child of children) {
      for (const line of child.lines) {
        const [seq, ...text] = line.split(" ");
        expect(bySeq.get(Number(seq))).toBe(text.join(" "));
      }
    }
  });

  test("a writer killed with SIGKILL mid-loop loses no event whose append returned, and leaves no gap", async () => {
    const path = join(await cleanup.tempDir(), "toad.db");
    const child = runChild(appender, [path, "crash", "forever", "e"]);
    await child.waitForLines(300);
    child.kill("SIGKILL");
    const exit = await child.exit;
    expect(exit.signal).toBe("SIGKILL");

    const printed = child.lines.map((line) => Number(line.split(" ")[0]));
    expect(printed).toEqual(Array.from({ length: printed.length }, (_, i) => i + 1));
    expect(integrity(path)).toBe("ok");

    const store = cleanup.track(openSqliteStore({ path }));
    const events = await store.events("crash");
    const seqs = events.map((e) => e.seq);
    // Every acknowledged append is there (more may have committed before their ack got out).
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(seqs.length).toBeGreaterThanOrEqual(printed.length);
    expect(events.map((e) => (e.type === "text_delta" ? e.text : ""))).toEqual(seqs.map((seq) => `e ${seq}`));
    const session = await store.get("crash");
    expect(session?.lastSeq).toBe(seqs.length);

    // Continuing the session after the crash picks up at the next seq.
    const next = await store.append("crash", { type: "user_message", text: "continue" });
    expect(next.seq).toBe(seqs.length + 1);
  });
});
