import { chmod, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { captureFiles, type SessionStore, StoreError } from "../../src/index.js";
import { type StoreFactory, testClock, useCleanup } from "./harness.js";

/** Checkpoints, undo and rewind, on real files in a temp directory. */
export function checkpointContract(name: string, factory: StoreFactory): void {
  describe(`${name}: checkpoints, undo and rewind`, () => {
    const cleanup = useCleanup();
    const clock = testClock();

    /** A store with one session whose cwd is a fresh temp dir, and an `edit` that checkpoints first. */
    async function setup() {
      const dir = await cleanup.tempDir();
      const store: SessionStore = cleanup.track(await factory({ now: clock.now }));
      const session = await store.create({ cwd: dir, model: "m", permissionMode: "auto-edit" });
      const path = (name: string) => join(dir, name);
      const read = (name: string) => readFile(path(name), "utf8");
      const exists = (name: string) =>
        stat(path(name)).then(
          () => true,
          () => false,
        );
      /** What the agent does for one edit: log the call, checkpoint the files, then change them. */
      const edit = async (changes: Record<string, string | null>) => {
        const event = await store.append(session.id, {
          type: "tool_call_complete",
          callId: `c${Math.random()}`,
          name: "write_file",
          argumentsJson: "{}",
        });
        const names = Object.keys(changes);
        const checkpoint = await store.checkpoint(session.id, event.seq, await captureFiles(names.map(path)));
        for (const [name, content] of Object.entries(changes)) {
          if (content === null) await rm(path(name));
          else {
            await mkdir(join(path(name), ".."), { recursive: true });
            await writeFile(path(name), content);
          }
        }
        return checkpoint;
      };
      return { dir, store, session, path, read, exists, edit };
    }

    test("undo restores the newest edit's files and deletes the files it created, one edit at a time", async () => {
      const { store, session, read, exists, edit } = await setup();
      await edit({ "a.txt": "a0" });
      await edit({ "a.txt": "a1", "b.txt": "b1" });
      await edit({ "a.txt": "a2", "sub/dir/c.txt": "c2" });
      expect([await read("a.txt"), await read("b.txt"), await read("sub/dir/c.txt")]).toEqual([
        "a2",
        "b1",
        "c2",
      ]);

      const first = await store.undo(session.id);
      expect(first.ok && first.value.files.map((f) => [f.path.split("/").pop(), f.action])).toEqual([
        ["a.txt", "written"],
        ["c.txt", "deleted"],
      ]);
      expect(await read("a.txt")).toBe("a1");
      expect(await exists("sub/dir/c.txt")).toBe(false);

      expect((await store.undo(session.id)).ok).toBe(true);
      expect([await read("a.txt"), await exists("b.txt")]).toEqual(["a0", false]);
      expect((await store.undo(session.id)).ok).toBe(true);
      expect(await exists("a.txt")).toBe(false);

      const none = await store.undo(session.id);
      expect(none).toMatchObject({ ok: false, error: { code: "nothing_to_undo" } });
    });

    test("undo of an edit that deleted a file brings the file back", async () => {
      const { store, session, path, read, exists, edit } = await setup();
      await writeFile(path("doomed.txt"), "still needed");
      await edit({ "doomed.txt": null });
      expect(await exists("doomed.txt")).toBe(false);
      expect((await store.undo(session.id)).ok).toBe(true);
      expect(await read("doomed.txt")).toBe("still needed");
    });

    test("rewind restores everything changed since a checkpoint and marks those checkpoints reverted", async () => {
      const { store, session, read, exists, edit } = await setup();
      await edit({ "keep.txt": "k0" });
      const target = await edit({ "a.txt": "a1" }); // creates a.txt
      await edit({ "keep.txt": "k1", "a.txt": "a2" });
      await edit({ "b.txt": "b3" });
      const rewound = await store.rewind(session.id, target.id);
      expect(rewound.ok).toBe(true);
      if (rewound.ok) expect(rewound.value.checkpointIds).toEqual([target.id, target.id + 1, target.id + 2]);
      expect(await exists("a.txt")).toBe(false);
      expect(await exists("b.txt")).toBe(false);
      expect(await read("keep.txt")).toBe("k0");

      const listed = await store.checkpoints(session.id);
      expect(listed.map((c) => c.revertedAt !== null)).toEqual([false, true, true, true]);
      // Rewinding again finds nothing live after the target: an empty, successful restore.
      expect(await store.rewind(session.id, target.id)).toEqual({
        ok: true,
        value: { checkpointIds: [], files: [] },
      });
      // The next undo reaches the edit before the target.
      expect((await store.undo(session.id)).ok).toBe(true);
      expect(await exists("keep.txt")).toBe(false);
    });

    test("rewind after an undo and new edits restores each file to before the target", async () => {
      const { store, session, path, read, edit } = await setup();
      await writeFile(path("f.txt"), "v0");
      const target = await edit({ "f.txt": "v1" });
      await edit({ "f.txt": "v2" });
      await store.undo(session.id); // back to v1
      await edit({ "f.txt": "v3" });
      expect(await read("f.txt")).toBe("v3");
      expect((await store.rewind(session.id, target.id)).ok).toBe(true);
      expect(await read("f.txt")).toBe("v0");
    });

    test("checkpoints lists snapshots oldest first; identical content shares one blob", async () => {
      const { store, session, path, edit } = await setup();
      const big = "x".repeat(100_000);
      await writeFile(path("big.txt"), big);
      clock.set(42);
      const first = await edit({ "big.txt": `${big}!`, "new.txt": "n" });
      await writeFile(path("big.txt"), big);
      const second = await edit({ "big.txt": "small" });
      const listed = await store.checkpoints(session.id);
      expect(listed).toEqual([first, second]);
      expect(first).toMatchObject({ sessionId: session.id, seq: 1, createdAt: 42, revertedAt: null });
      expect(first.files).toEqual([
        { path: path("big.txt"), blobHash: expect.stringMatching(/^[0-9a-f]{64}$/), size: 100_000 },
        { path: path("new.txt"), blobHash: null, size: 0 },
      ]);
      expect(second.files[0]?.blobHash).toBe(first.files[0]?.blobHash);
      expect(second.id).toBeGreaterThan(first.id);
    });

    test("binary content, file modes and relative paths survive a round trip", async () => {
      const { store, session, path, exists } = await setup();
      const bytes = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
      await writeFile(path("run.sh"), "#!/bin/sh\necho new\n");
      await chmod(path("run.sh"), 0o755);
      await store.append(session.id, { type: "user_message", text: "go" });
      // Relative paths are the session cwd's; the caller's buffer may change after the call.
      const snapshot = Uint8Array.from(bytes);
      await store.checkpoint(session.id, 1, [
        { path: "blob.bin", content: snapshot },
        { path: "run.sh", content: "#!/bin/sh\necho old\n" },
      ]);
      snapshot.fill(0);
      await writeFile(path("blob.bin"), "replaced");
      expect((await store.undo(session.id)).ok).toBe(true);
      expect(new Uint8Array(await readFile(path("blob.bin")))).toEqual(bytes);
      expect(await readFile(path("run.sh"), "utf8")).toBe("#!/bin/sh\necho old\n");
      expect((await stat(path("run.sh"))).mode & 0o777).toBe(0o755);
      expect(await exists("nothing-else")).toBe(false);
    });

    test("a file that cannot be restored fails the undo, keeps the checkpoint live, and a retry works", async () => {
      const { store, session, path, read, edit } = await setup();
      await mkdir(path("d"));
      await writeFile(path("a.txt"), "a0");
      await writeFile(path("d/f.txt"), "f0");
      await edit({ "a.txt": "a1", "d/f.txt": "f1" });
      // Something replaced directory d with a file: d/f.txt can no longer be written.
      await rm(path("d"), { recursive: true });
      await writeFile(path("d"), "in the way");
      const failed = await store.undo(session.id);
      expect(failed).toMatchObject({ ok: false, error: { code: "restore_failed" } });
      if (!failed.ok && failed.error.code === "restore_failed") {
        expect(failed.error.failed.map((f) => f.path)).toEqual([path("d/f.txt")]);
        expect(failed.error.restored.map((f) => f.path)).toEqual([path("a.txt")]);
      }
      expect((await store.checkpoints(session.id))[0]?.revertedAt).toBeNull();
      await rm(path("d"));
      expect((await store.undo(session.id)).ok).toBe(true);
      expect([await read("a.txt"), await read("d/f.txt")]).toEqual(["a0", "f0"]);
    });

    test("bad checkpoint input is refused and records nothing; unknown ids are typed errors", async () => {
      const { store, session, path } = await setup();
      await store.append(session.id, { type: "user_message", text: "hi" });
      const code = (promise: Promise<unknown>) =>
        promise.then(
          () => "resolved",
          (error: unknown) => (error instanceof StoreError ? error.code : String(error)),
        );
      expect(await code(store.checkpoint(session.id, 1, []))).toBe("invalid_input");
      expect(await code(store.checkpoint(session.id, 2, [{ path: "a", absent: true }]))).toBe(
        "invalid_input",
      );
      expect(await code(store.checkpoint(session.id, -1, [{ path: "a", absent: true }]))).toBe(
        "invalid_input",
      );
      const twice = [
        { path: "a", absent: true as const },
        { path: path("a"), content: "x" },
      ];
      expect(await code(store.checkpoint(session.id, 1, twice))).toBe("invalid_input");
      const noContent = [{ path: "a" }] as unknown as [{ path: string; absent: true }];
      expect(await code(store.checkpoint(session.id, 1, noContent))).toBe("invalid_input");
      expect(await code(store.checkpoint("ghost", 0, [{ path: "a", absent: true }]))).toBe(
        "session_not_found",
      );
      expect(await code(store.checkpoints("ghost"))).toBe("session_not_found");
      expect(await store.checkpoints(session.id)).toEqual([]);

      const other = await store.create({ cwd: "/other", model: "m", permissionMode: "ask" });
      const foreign = await store.checkpoint(other.id, 0, [{ path: "x", absent: true }]);
      expect(await store.rewind(session.id, foreign.id)).toMatchObject({
        ok: false,
        error: { code: "checkpoint_not_found" },
      });
      expect(await store.undo("ghost")).toMatchObject({ ok: false, error: { code: "session_not_found" } });
    });
  });
}
