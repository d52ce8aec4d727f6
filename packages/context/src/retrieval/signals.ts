import { identifiersIn } from "../search/tokenize.js";
import type { IndexStore } from "../store/index-store.js";

export { isTestPath } from "../search/test-paths.js";

/** Does this word look like code (snake_case, camelCase, dotted, dunder) rather than prose? */
export function looksLikeCode(word: string): boolean {
  return /_/.test(word) || /[a-z][A-Z]/.test(word) || /^[A-Z][a-z]+[A-Z]/.test(word);
}

export interface QuerySignals {
  /** Identifiers the query names that the repository defines, with how many places define each. */
  identifiers: Map<string, number>;
  /** Repository files the query names by path or dotted module. */
  paths: string[];
}

/** What a query says explicitly: defined names it mentions and files it points at. */
export function querySignals(store: IndexStore, query: string): QuerySignals {
  const words = identifiersIn(query, 3);
  const identifiers = new Map<string, number>();
  const defs = store.defsNamed(words);
  for (const d of defs) identifiers.set(d.name, (identifiers.get(d.name) ?? 0) + 1);
  // Dotted names (`a.b.method`) also name their last part.
  for (const dotted of query.matchAll(/[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)+/g)) {
    const last = dotted[0].split(".").at(-1);
    if (last && !identifiers.has(last)) {
      const n = store.defsNamed([last]).length;
      if (n > 0) identifiers.set(last, n);
    }
  }
  const paths = new Set<string>();
  const files = store.db.prepare("SELECT path FROM files").pluck().all() as string[];
  const candidates = new Set<string>();
  for (const m of query.matchAll(/[\w./-]+\.[A-Za-z]{1,4}\b/g)) candidates.add(m[0].replace(/^\.?\//, ""));
  for (const m of query.matchAll(/\b[A-Za-z_]\w*(?:\.[A-Za-z_]\w*){1,}\b/g)) {
    candidates.add(`${m[0].replace(/\./g, "/")}.py`);
  }
  for (const c of candidates) {
    for (const f of files) {
      if (f === c || f.endsWith(`/${c}`) || (c.includes("/") && c.endsWith(`/${f}`))) paths.add(f);
    }
  }
  return { identifiers, paths: [...paths] };
}
