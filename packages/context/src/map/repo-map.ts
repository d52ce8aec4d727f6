import { isTestPath } from "../search/test-paths.js";
import type { DefRow, IndexStore } from "../store/index-store.js";
import { pageRank } from "./pagerank.js";
import { ReferenceGraph } from "./reference-graph.js";

export interface RepoMapOptions {
  /** Files in the conversation: the walk restarts from them. */
  focusFiles?: readonly string[];
  /** Identifiers in the conversation: files defining them are focused and their definitions boosted. */
  focusIdentifiers?: readonly string[];
  /** Upper bound on the rendered map, in tokens (about 4 characters each). Default 1024. */
  tokenBudget?: number;
  /** Leave the focus files out of the map (they are already in the context). */
  excludeFocusFiles?: boolean;
}

export interface RankedDefinition {
  path: string;
  name: string;
  rank: number;
}

export interface RepoMapResult {
  text: string;
  tokens: number;
  /** Every file by PageRank, best first. */
  files: Array<{ path: string; rank: number }>;
  /** Definitions in the rendered map, best first. */
  definitions: RankedDefinition[];
  /** PageRank iterations this render took (few after an incremental update). */
  iterations: number;
}

const MENTION_BOOST = 10;
const TEST_DEMOTION = 0.1;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * A repository map that stays current: `refresh(paths)` after the indexer
 * rewrote some files updates the reference graph for those files only, and
 * the next `render` warm-starts PageRank from the previous ranks.
 */
export class RepoMapper {
  private graph: ReferenceGraph;
  private lastRanks: Map<string, number> | undefined;

  constructor(private readonly store: IndexStore) {
    this.graph = ReferenceGraph.fromStore(store);
  }

  refresh(paths: readonly string[]): void {
    if (paths.length > 0) this.graph.refresh(this.store, paths);
  }

  render(options: RepoMapOptions = {}): RepoMapResult {
    const budget = options.tokenBudget ?? 1024;
    const focusFiles = new Set(options.focusFiles ?? []);
    const focusIdents = new Set(options.focusIdentifiers ?? []);
    const personalization = new Map<string, number>();
    for (const f of focusFiles) personalization.set(f, 1);
    for (const ident of focusIdents) for (const f of this.graph.definersOf(ident)) personalization.set(f, 1);

    const nodes = this.graph.nodes();
    const { ranks, iterations } = pageRank(nodes, this.graph.edges(), {
      personalization,
      ...(this.lastRanks ? { initial: this.lastRanks } : {}),
    });
    if (personalization.size === 0) this.lastRanks = ranks;

    const defRank = this.rankDefinitions(ranks, focusIdents);
    const exclude = options.excludeFocusFiles ? focusFiles : new Set<string>();
    const ranked = [...defRank.entries()]
      .map(([key, rank]) => {
        const cut = key.indexOf("\0");
        return { path: key.slice(0, cut), name: key.slice(cut + 1), rank };
      })
      .filter((d) => !exclude.has(d.path))
      .sort((a, b) => b.rank - a.rank || a.path.localeCompare(b.path) || a.name.localeCompare(b.name));

    const defsByFile = new Map<string, DefRow[]>();
    const defsOf = (path: string): DefRow[] => {
      let defs = defsByFile.get(path);
      if (!defs) {
        defs = this.store.defs(path);
        defsByFile.set(path, defs);
      }
      return defs;
    };
    // Largest prefix of the ranked definitions whose rendering fits the budget.
    let lo = 0;
    // Every rendered definition costs at least a token, so no more than `budget` of them can fit.
    let hi = Math.min(ranked.length, budget);
    let best = { text: "", count: 0 };
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const text = renderMap(ranked.slice(0, mid), defsOf);
      if (estimateTokens(text) <= budget) {
        best = { text, count: mid };
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const files = [...ranks.entries()]
      .map(([path, rank]) => ({ path, rank }))
      .sort((a, b) => b.rank - a.rank || a.path.localeCompare(b.path));
    return {
      text: best.text,
      tokens: estimateTokens(best.text),
      files,
      definitions: ranked.slice(0, best.count),
      iterations,
    };
  }

  /** Spreads each file's rank over its out-edges onto the (file, name) definitions they point at. */
  private rankDefinitions(ranks: Map<string, number>, focusIdents: Set<string>): Map<string, number> {
    const outTotal = new Map<string, number>();
    for (const [from, out] of this.graph.edges()) {
      let total = 0;
      for (const w of out.values()) total += w;
      outTotal.set(from, total);
    }
    const defRank = new Map<string, number>();
    for (const [ident, edges] of this.graph.edgesByIdentifier()) {
      const boost = focusIdents.has(ident) ? MENTION_BOOST : 1;
      for (const e of edges) {
        // Tests define look-alikes (fixtures, subclasses) that a map reader rarely wants.
        const demote = isTestPath(e.to) ? TEST_DEMOTION : 1;
        const share = ((ranks.get(e.from) ?? 0) * e.weight * demote) / (outTotal.get(e.from) || 1);
        const key = `${e.to}\0${ident}`;
        defRank.set(key, (defRank.get(key) ?? 0) + share * boost);
      }
    }
    // Unreferenced definitions still order by their file's rank, far below referenced ones.
    for (const path of this.graph.nodes()) {
      for (const ident of this.graph.namesOf(path)?.defines ?? []) {
        const key = `${path}\0${ident}`;
        const boost = focusIdents.has(ident) ? MENTION_BOOST : 1;
        defRank.set(key, (defRank.get(key) ?? 0) + 1e-3 * (ranks.get(path) ?? 0) * boost);
      }
    }
    return defRank;
  }
}

/** One-shot repository map (builds the graph from the store each call). */
export function repoMap(store: IndexStore, options: RepoMapOptions = {}): RepoMapResult {
  return new RepoMapper(store).render(options);
}

function renderMap(ranked: RankedDefinition[], defsOf: (path: string) => DefRow[]): string {
  const order: string[] = [];
  const names = new Map<string, Set<string>>();
  for (const d of ranked) {
    let set = names.get(d.path);
    if (!set) {
      set = new Set();
      names.set(d.path, set);
      order.push(d.path);
    }
    set.add(d.name);
  }
  const parts: string[] = [];
  for (const path of order) {
    const wanted = names.get(path) ?? new Set();
    const all = defsOf(path);
    const byName = new Map(all.map((d) => [d.qualifiedName, d]));
    const chosen = new Set<DefRow>();
    for (const d of all) {
      if (!wanted.has(d.name)) continue;
      chosen.add(d);
      // Members show under their class so the map reads as an outline.
      for (let p = byName.get(d.parent ?? ""); p && !chosen.has(p); p = byName.get(p.parent ?? ""))
        chosen.add(p);
    }
    const lines = all.filter((d) => chosen.has(d)).map((d) => `${"  ".repeat(depth(d) + 1)}${d.signature}`);
    parts.push(`${path}:\n${[...new Set(lines)].join("\n")}`);
  }
  return parts.join("\n");
}

function depth(def: DefRow): number {
  return def.parent ? def.parent.split(".").length : 0;
}
