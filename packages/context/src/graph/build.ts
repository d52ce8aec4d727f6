import { posix } from "node:path";
import type { DefRow, IndexStore, StoredFile } from "../store/index-store.js";
import type { CodeGraph, GraphEdge, GraphNode, GraphNodeKind } from "./port.js";
import { PathIndex, resolveImport } from "./resolve.js";

const NODE_KIND: Record<string, GraphNodeKind> = {
  class: "class",
  interface: "class",
  enum: "class",
  function: "function",
  method: "function",
  macro: "function",
};
const CALL_REF_KINDS = new Set(["call", "class"]);
/** Calls to a name defined in more places than this, with no same-file or imported match, stay unlinked. */
const MAX_GLOBAL_CANDIDATES = 2;

export function nodeId(path: string, qualifiedName?: string): string {
  return qualifiedName ? `${path}#${qualifiedName}` : path;
}

interface Context {
  files: Map<string, StoredFile>;
  paths: PathIndex;
  defsByName: Map<string, DefRow[]>;
}

/**
 * Writes the code graph for the given files (all when `paths` is absent). After
 * an edit, pass the changed paths: their slices are rebuilt, and so are the
 * files that reference names they define or import them, so edges stay linked.
 */
export async function syncCodeGraph(
  store: IndexStore,
  graph: CodeGraph,
  paths?: readonly string[],
): Promise<number> {
  const files = new Map(store.files().map((f) => [f.path, f]));
  const defsByName = new Map<string, DefRow[]>();
  for (const d of store.defs()) {
    if (!NODE_KIND[d.kind]) continue;
    let list = defsByName.get(d.name);
    if (!list) {
      list = [];
      defsByName.set(d.name, list);
    }
    list.push(d);
  }
  const ctx: Context = { files, paths: new PathIndex(files.keys()), defsByName };
  const targets = paths ? await withDependents(store, graph, ctx, paths) : [...files.keys()];
  for (const path of targets) {
    const file = files.get(path);
    if (!file) {
      await graph.removeFile(path);
      continue;
    }
    const { nodes, edges } = buildFile(store, ctx, file);
    await graph.replaceFile(path, nodes, edges);
  }
  return targets.length;
}

/**
 * Files whose edges may change when `paths` change: the paths themselves,
 * files referencing a name whose set of definitions changed (added or
 * removed), and files importing a module with the same stem.
 */
async function withDependents(
  store: IndexStore,
  graph: CodeGraph,
  ctx: Context,
  paths: readonly string[],
): Promise<string[]> {
  const out = new Set(paths);
  const names = new Set<string>();
  const stems = new Set<string>();
  for (const p of paths) {
    const before = new Set((await graph.nodesIn(p)).filter((n) => n.kind !== "module").map((n) => n.name));
    const after = new Set(
      store
        .defs(p)
        .filter((d) => NODE_KIND[d.kind])
        .map((d) => d.name),
    );
    for (const n of before) if (!after.has(n)) names.add(n);
    for (const n of after) if (!before.has(n)) names.add(n);
    stems.add(posix.basename(p).replace(/\.[^.]+$/, ""));
  }
  if (names.size > 0) {
    const rows = store.db
      .prepare(
        `SELECT DISTINCT f.path FROM refs r JOIN files f ON f.id = r.file_id
         WHERE r.name IN (SELECT value FROM json_each(?))`,
      )
      .pluck()
      .all(JSON.stringify([...names])) as string[];
    for (const r of rows) out.add(r);
  }
  for (const file of ctx.files.values()) {
    if (file.imports.some((i) => [...stems].some((s) => i.module.includes(s)))) out.add(file.path);
  }
  return [...out];
}

function buildFile(
  store: IndexStore,
  ctx: Context,
  file: StoredFile,
): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const path = file.path;
  const nodes: GraphNode[] = [{ id: path, kind: "module", name: posix.basename(path), path, line: 1 }];
  const edges: GraphEdge[] = [];
  const seen = new Set<string>([path]);
  const local = new Map<string, DefRow>();
  for (const d of store.defs(path)) {
    const kind = NODE_KIND[d.kind];
    if (!kind) continue;
    const id = nodeId(path, d.qualifiedName);
    if (seen.has(id)) continue;
    seen.add(id);
    local.set(d.qualifiedName, d);
    nodes.push({ id, kind, name: d.name, path, line: d.start.line });
  }
  for (const d of local.values()) {
    const owner = d.parent && local.has(d.parent) ? nodeId(path, d.parent) : path;
    edges.push({ from: owner, to: nodeId(path, d.qualifiedName), kind: "defines" });
  }

  const imported = new Set<string>();
  for (const imp of file.imports) {
    for (const target of resolveImport(path, file.language, imp.module, ctx.paths)) {
      if (target === path) continue;
      imported.add(target);
      edges.push({ from: path, to: target, kind: "imports" });
    }
  }
  const resolve = (name: string, classOnly: boolean): DefRow[] => {
    const all = (ctx.defsByName.get(name) ?? []).filter((d) => !classOnly || NODE_KIND[d.kind] === "class");
    const same = all.filter((d) => d.path === path);
    if (same.length > 0) return same;
    const viaImport = all.filter((d) => imported.has(d.path));
    if (viaImport.length > 0) return viaImport;
    return all.length <= MAX_GLOBAL_CANDIDATES ? all : [];
  };

  for (const inherit of file.inherits) {
    const child = nodeId(
      path,
      [...local.keys()].find((q) => q === inherit.child || q.endsWith(`.${inherit.child}`)),
    );
    if (child === path) continue;
    for (const base of resolve(inherit.base, true)) {
      edges.push({ from: child, to: nodeId(base.path, base.qualifiedName), kind: "inherits" });
    }
  }
  const resolved = new Map<string, DefRow[]>();
  for (const ref of store.refGroups(path)) {
    if (!CALL_REF_KINDS.has(ref.kind)) continue;
    const from = ref.enclosing && local.has(ref.enclosing) ? nodeId(path, ref.enclosing) : path;
    let targets = resolved.get(ref.name);
    if (!targets) {
      targets = resolve(ref.name, false);
      resolved.set(ref.name, targets);
    }
    for (const target of targets) {
      const to = nodeId(target.path, target.qualifiedName);
      if (to !== from) edges.push({ from, to, kind: "calls" });
    }
  }
  return { nodes, edges: dedupe(edges) };
}

function dedupe(edges: GraphEdge[]): GraphEdge[] {
  const seen = new Set<string>();
  return edges.filter((e) => {
    const key = `${e.from}\0${e.to}\0${e.kind}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
