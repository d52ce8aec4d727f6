import { byName } from "../walk.js";
import type { DirEntry, DirReader, EntryKind } from "./port.js";

const KINDS: Record<string, EntryKind> = { f: "file", d: "directory", l: "symlink" };

const strip = (p: string) => p.replace(/^\.\//, "").replace(/^\.$/, "");

/**
 * A `DirReader` over the output of the READ_TREE script: the entries below
 * `dirRel` and the ignore files on the way, all read in one command.
 */
export function snapshotReader(output: string, dirRel: string): DirReader {
  const separator = output.indexOf("--\0");
  const entriesPart = separator === -1 ? output : output.slice(0, separator);
  const ignorePart = separator === -1 ? "" : output.slice(separator + 3);
  const base = dirRel === "." ? "" : dirRel;
  const dirs = new Map<string, DirEntry[]>();
  for (const record of entriesPart.split("\0")) {
    const [type = "", size = "", rel = "", link = ""] = record.split("\t");
    if (rel === "") continue;
    const full = base === "" ? rel : `${base}/${rel}`;
    const slash = full.lastIndexOf("/");
    const parent = slash === -1 ? "" : full.slice(0, slash);
    const entry: DirEntry = { name: full.slice(slash + 1), kind: KINDS[type] ?? "other" };
    if (entry.kind === "symlink") entry.linkTarget = link;
    else if (entry.kind !== "directory") entry.size = Number(size);
    const list = dirs.get(parent) ?? [];
    list.push(entry);
    dirs.set(parent, list);
  }
  for (const list of dirs.values()) list.sort(byName);
  const texts = new Map<string, string>();
  const fields = ignorePart.split("\0");
  for (let i = 0; i + 1 < fields.length; i += 2) {
    texts.set(strip(fields[i] ?? ""), Buffer.from(fields[i + 1] ?? "", "base64").toString("utf8"));
  }
  return {
    readdir: async (rel) => dirs.get(rel) ?? [],
    readText: async (rel) => texts.get(rel),
  };
}
