import type { ToolSpec } from "@toad/core";
import type { IndexStore } from "../store/index-store.js";
import { type SearchOptions, search } from "./hybrid.js";

export const CODEBASE_SEARCH_TOOL: ToolSpec = {
  name: "codebase_search",
  description:
    "Search this repository by meaning and by name: returns the most relevant functions, classes and code " +
    "regions with file paths, line ranges and why each was chosen. Use it to find where something is " +
    "implemented before reading files.",
  inputSchema: {
    type: "object",
    properties: {
      query: {
        type: "string",
        description: "What to look for: a description, identifiers, an error message.",
      },
      max_tokens: { type: "integer", description: "Budget for the results, in tokens (default 4000)." },
    },
    required: ["query"],
  },
};

export type CodebaseSearchResult =
  | { ok: true; text: string }
  | { ok: false; error: { type: string; message: string } };

/** The `codebase_search` tool body: validates input, searches, renders results the model can read. */
export async function codebaseSearch(
  store: IndexStore,
  input: unknown,
  options: Omit<SearchOptions, "tokenBudget"> = {},
): Promise<CodebaseSearchResult> {
  const args = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
  const query = args.query;
  if (typeof query !== "string" || query.trim() === "") {
    return { ok: false, error: { type: "invalid_input", message: "`query` must be a non-empty string" } };
  }
  const maxTokens = args.max_tokens;
  const budget = typeof maxTokens === "number" && maxTokens > 0 ? Math.floor(maxTokens) : 4000;
  const result = await search(store, query, { ...options, tokenBudget: budget });
  if (result.items.length === 0) return { ok: true, text: `No results for ${JSON.stringify(query)}.` };
  const text = result.items
    .map((item) => {
      const head = `${item.path}:${item.startLine}-${item.endLine}${item.symbol ? ` (${item.symbol})` : ""}`;
      return `${head}\nwhy: ${item.reasons.join("; ")}\n${item.text}`;
    })
    .join("\n\n");
  return { ok: true, text };
}
