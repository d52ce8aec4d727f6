import { estimateTokens, RepoMapper } from "../map/repo-map.js";
import type { IndexStore } from "../store/index-store.js";
import { type SearchOptions, search } from "./hybrid.js";
import { localize } from "./localize.js";
import { querySignals } from "./signals.js";

export interface TaskContext {
  /** Ready to put in front of the model: a focused repo map, then the best code regions with reasons. */
  text: string;
  tokens: number;
  /** The files the task most likely touches, best first. */
  files: string[];
}

/**
 * Context to pre-load for a task, within a token budget: a third goes to a
 * repository map personalised toward the files and names the task points at,
 * the rest to hybrid search results.
 */
export async function taskContext(
  store: IndexStore,
  task: string,
  options: { tokenBudget?: number; search?: Omit<SearchOptions, "tokenBudget"> } = {},
): Promise<TaskContext> {
  const budget = options.tokenBudget ?? 8000;
  const located = await localize(store, task, { excludeTests: false });
  const files = located.files.slice(0, 5).map((f) => f.path);
  const signals = querySignals(store, task);
  const map = new RepoMapper(store).render({
    focusFiles: files,
    focusIdentifiers: [...signals.identifiers.keys()],
    tokenBudget: Math.floor(budget / 3),
  });
  const header = map.text ? `Repository map (most relevant first):\n${map.text}\n\n` : "";
  const found = await search(store, task, {
    ...options.search,
    tokenBudget: budget - estimateTokens(header) - 50,
  });
  // Item headers (paths, reasons) cost tokens too: add items while the whole still fits.
  const snippets: string[] = [];
  const render = (parts: string[]) =>
    `${header}${parts.length > 0 ? `Relevant code:\n${parts.join("\n\n")}` : ""}`.trimEnd();
  for (const i of found.items) {
    const head = `${i.path}:${i.startLine}-${i.endLine}${i.symbol ? ` (${i.symbol})` : ""} — ${i.reasons.join("; ")}`;
    const candidate = [...snippets, `${head}\n${i.text}`];
    if (estimateTokens(render(candidate)) <= budget) snippets.push(`${head}\n${i.text}`);
  }
  const text = render(snippets);
  return { text, tokens: estimateTokens(text), files };
}
