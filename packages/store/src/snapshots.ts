import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { StoreError } from "./errors.js";
import type { Checkpoint, FileSnapshot } from "./port.js";

/** A snapshot checked and hashed, ready to store. */
export interface PreparedFile {
  path: string;
  /** `null`: the file did not exist before the edit. */
  blob: { hash: string; bytes: Uint8Array } | null;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

const encoder = new TextEncoder();

/** Validates a checkpoint's file list; relative paths are taken relative to the session's cwd. */
export function prepareSnapshots(files: readonly FileSnapshot[], cwd: string): PreparedFile[] {
  if (!Array.isArray(files) || files.length === 0) {
    throw new StoreError("invalid_input", "a checkpoint needs at least one file");
  }
  const seen = new Set<string>();
  return files.map((file, index) => {
    const where = `files[${index}]`;
    if (typeof file !== "object" || file === null)
      throw new StoreError("invalid_input", `${where} is not an object`);
    if (typeof file.path !== "string" || file.path === "" || file.path.includes("\0")) {
      throw new StoreError("invalid_input", `${where}.path must be a non-empty path`);
    }
    const path = resolve(cwd, file.path);
    if (seen.has(path)) throw new StoreError("invalid_input", `${where}: ${path} is listed twice`);
    seen.add(path);
    if ("absent" in file && file.absent === true) return { path, blob: null };
    if (!("content" in file)) {
      throw new StoreError("invalid_input", `${where} needs "content" or "absent: true"`);
    }
    const { content } = file;
    let bytes: Uint8Array;
    if (typeof content === "string") bytes = encoder.encode(content);
    else if (content instanceof Uint8Array) bytes = content;
    else throw new StoreError("invalid_input", `${where}.content must be a string or a Uint8Array`);
    return { path, blob: { hash: sha256Hex(bytes), bytes } };
  });
}

/** One file to put back: its bytes, or `null` to delete it. */
export interface RestoreEntry {
  path: string;
  content: Uint8Array | null;
}

/**
 * Which checkpoint's snapshot of each path to restore when reverting
 * `checkpoints` (live ones, oldest first): the oldest, since it holds the
 * content from before all of them.
 */
export function planRestore(checkpoints: readonly Checkpoint[]): { path: string; blobHash: string | null }[] {
  const plan = new Map<string, string | null>();
  for (const checkpoint of checkpoints) {
    for (const file of checkpoint.files) if (!plan.has(file.path)) plan.set(file.path, file.blobHash);
  }
  return [...plan].map(([path, blobHash]) => ({ path, blobHash }));
}
