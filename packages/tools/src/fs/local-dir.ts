import { readdir, readFile, readlink, stat } from "node:fs/promises";
import path from "node:path";
import { byName } from "../walk.js";
import type { DirEntry, DirReader, EntryKind } from "./port.js";

function kindOf(entry: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): EntryKind {
  if (entry.isSymbolicLink()) return "symlink";
  if (entry.isDirectory()) return "directory";
  return entry.isFile() ? "file" : "other";
}

/** Reads directories as they are asked for; file sizes only when `withSizes` (list_dir shows them). */
export function localDirReader(root: string, withSizes = false): DirReader {
  return {
    async readdir(rel) {
      const dir = path.join(root, rel);
      const entries = await readdir(dir, { withFileTypes: true });
      const out: DirEntry[] = [];
      for (const entry of entries) {
        const item: DirEntry = { name: entry.name, kind: kindOf(entry) };
        const abs = path.join(dir, entry.name);
        if (withSizes && item.kind === "symlink") item.linkTarget = await readlink(abs).catch(() => "?");
        else if (withSizes && item.kind !== "directory") {
          const size = (await stat(abs).catch(() => undefined))?.size;
          if (size !== undefined) item.size = size;
        }
        out.push(item);
      }
      return out.sort(byName);
    },
    readText: (rel) => readFile(path.join(root, rel), "utf8").catch(() => undefined),
  };
}
