import type { IndexStore } from "../store/index-store.js";
import type { Adjacency } from "./pagerank.js";

/** One file's contribution to the graph: the names it defines and how often it references each name. */
export interface FileNames {
  defines: ReadonlySet<string>;
  references: ReadonlyMap<string, number>;
}

export interface IdentEdge {
  from: string;
  to: string;
  weight: number;
}

/** How much a shared name says about a dependency between two files. */
export function identifierWeight(ident: string, definerCount: number): number {
  let weight = 1;
  const compound = /_/.test(ident) || /[a-z][A-Z]/.test(ident);
  if (compound && ident.length >= 8) weight *= 10;
  if (ident.startsWith("_")) weight *= 0.1;
  // Names defined all over (`get`, `__init__`, `run`) carry little signal.
  if (definerCount > 5) weight *= 0.1;
  return weight;
}

/**
 * The file-level reference graph: an edge from A to B for every name A
 * references and B defines, weighted by `identifierWeight` and sqrt(count).
 * Kept per identifier so replacing one file only recomputes the identifiers
 * that file defines or references, not the whole graph.
 */
export class ReferenceGraph {
  private readonly files = new Map<string, FileNames>();
  private readonly definers = new Map<string, Set<string>>();
  private readonly referrers = new Map<string, Map<string, number>>();
  private readonly identEdges = new Map<string, IdentEdge[]>();
  private readonly adjacency = new Map<string, Map<string, number>>();

  static fromStore(store: IndexStore): ReferenceGraph {
    const graph = new ReferenceGraph();
    const names = loadNames(store);
    for (const [path, fileNames] of names) graph.setFileQuietly(path, fileNames);
    for (const ident of graph.definers.keys()) graph.recompute(ident);
    return graph;
  }

  /** Re-reads the named files from the store (removing those it no longer has) and updates only what they touch. */
  refresh(store: IndexStore, paths: readonly string[]): void {
    const fresh = loadNames(store, paths);
    for (const path of paths) {
      const names = fresh.get(path);
      if (names) this.setFile(path, names);
      else this.removeFile(path);
    }
  }

  setFile(path: string, names: FileNames): void {
    const affected = this.identsOf(path);
    this.unlink(path);
    this.setFileQuietly(path, names);
    for (const ident of this.identsOf(path)) affected.add(ident);
    for (const ident of affected) this.recompute(ident);
  }

  removeFile(path: string): void {
    const affected = this.identsOf(path);
    this.unlink(path);
    this.files.delete(path);
    for (const ident of affected) this.recompute(ident);
  }

  nodes(): string[] {
    return [...this.files.keys()];
  }

  edges(): Adjacency {
    return this.adjacency;
  }

  definersOf(ident: string): ReadonlySet<string> {
    return this.definers.get(ident) ?? new Set();
  }

  /** Every (from, to, weight) edge carried by each identifier. */
  edgesByIdentifier(): ReadonlyMap<string, readonly IdentEdge[]> {
    return this.identEdges;
  }

  namesOf(path: string): FileNames | undefined {
    return this.files.get(path);
  }

  private identsOf(path: string): Set<string> {
    const names = this.files.get(path);
    return new Set(names ? [...names.defines, ...names.references.keys()] : []);
  }

  private setFileQuietly(path: string, names: FileNames): void {
    this.files.set(path, names);
    for (const ident of names.defines) {
      let set = this.definers.get(ident);
      if (!set) {
        set = new Set();
        this.definers.set(ident, set);
      }
      set.add(path);
    }
    for (const [ident, count] of names.references) {
      let map = this.referrers.get(ident);
      if (!map) {
        map = new Map();
        this.referrers.set(ident, map);
      }
      map.set(path, count);
    }
  }

  private unlink(path: string): void {
    const names = this.files.get(path);
    if (!names) return;
    for (const ident of names.defines) this.definers.get(ident)?.delete(path);
    for (const ident of names.references.keys()) this.referrers.get(ident)?.delete(path);
  }

  private recompute(ident: string): void {
    for (const edge of this.identEdges.get(ident) ?? []) this.addWeight(edge.from, edge.to, -edge.weight);
    const definers = this.definers.get(ident);
    const referrers = this.referrers.get(ident);
    if (!definers || definers.size === 0 || !referrers || referrers.size === 0) {
      this.identEdges.delete(ident);
      if (definers?.size === 0) this.definers.delete(ident);
      if (referrers?.size === 0) this.referrers.delete(ident);
      return;
    }
    const base = identifierWeight(ident, definers.size);
    const edges: IdentEdge[] = [];
    for (const [from, count] of referrers) {
      for (const to of definers) {
        if (from === to) continue;
        const weight = base * Math.sqrt(count);
        edges.push({ from, to, weight });
        this.addWeight(from, to, weight);
      }
    }
    this.identEdges.set(ident, edges);
  }

  private addWeight(from: string, to: string, delta: number): void {
    let out = this.adjacency.get(from);
    if (!out) {
      out = new Map();
      this.adjacency.set(from, out);
    }
    const next = (out.get(to) ?? 0) + delta;
    // Float residue from subtracting: treat as gone.
    if (next <= 1e-9) out.delete(to);
    else out.set(to, next);
    if (out.size === 0) this.adjacency.delete(from);
  }
}

/** Defined names and reference counts per file, for all files or the given ones. */
function loadNames(store: IndexStore, paths?: readonly string[]): Map<string, FileNames> {
  const filter = paths ? "WHERE f.path IN (SELECT value FROM json_each(?))" : "";
  const args = paths ? [JSON.stringify(paths)] : [];
  const out = new Map<string, { defines: Set<string>; references: Map<string, number> }>();
  const entry = (path: string) => {
    let e = out.get(path);
    if (!e) {
      e = { defines: new Set(), references: new Map() };
      out.set(path, e);
    }
    return e;
  };
  const files = store.db
    .prepare(`SELECT f.path FROM files f ${filter}`)
    .pluck()
    .all(...args) as string[];
  for (const path of files) entry(path);
  const defs = store.db
    .prepare(`SELECT DISTINCT f.path, d.name FROM defs d JOIN files f ON f.id = d.file_id ${filter}`)
    .all(...args) as Array<{ path: string; name: string }>;
  for (const d of defs) entry(d.path).defines.add(d.name);
  const refs = store.db
    .prepare(
      `SELECT f.path, r.name, sum(r.count) AS n FROM refs r JOIN files f ON f.id = r.file_id ${filter}
       GROUP BY f.path, r.name`,
    )
    .all(...args) as Array<{ path: string; name: string; n: number }>;
  for (const r of refs) entry(r.path).references.set(r.name, r.n);
  return out;
}
