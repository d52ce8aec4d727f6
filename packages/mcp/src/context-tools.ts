import type { AgentTools, ToolOutcome } from "@toad/agent";
import { CODEBASE_SEARCH_TOOL, codebaseSearch, IndexStore, indexRepository, repoMap } from "@toad/context";
import type { ToolSpec } from "@toad/core";
import { parseArguments } from "./agent-tools.js";

export const REPO_MAP_TOOL: ToolSpec = {
  name: "repo_map",
  description:
    "A map of this repository: its most important files and the definitions in them (classes, functions, " +
    "methods), ranked by how much the rest of the code refers to them. Use it to get oriented.",
  inputSchema: {
    type: "object",
    properties: {
      focus_files: {
        type: "array",
        items: { type: "string" },
        description: "Repository-relative files to center the map on.",
      },
      max_tokens: { type: "integer", description: "Budget for the map, in tokens (default 2048)." },
    },
  },
};

/** Re-index at most this often: a burst of calls shares one pass over the files. */
const REFRESH_INTERVAL_MS = 2_000;

/**
 * TOAD's context engine as tools (`repo_map`, `codebase_search`) over an
 * in-memory index of the workspace, built on first use and refreshed
 * incrementally (unchanged files are not parsed again).
 */
export function contextTools(workspaceRoot: string): AgentTools & { close(): void } {
  let store: IndexStore | undefined;
  let indexing: Promise<IndexStore> | undefined;
  let refreshedAt = 0;
  const index = async (): Promise<IndexStore> => {
    if (store && Date.now() - refreshedAt < REFRESH_INTERVAL_MS) return store;
    indexing ??= (async () => {
      const current = store ?? IndexStore.open(":memory:");
      store = current;
      await indexRepository(workspaceRoot, current);
      refreshedAt = Date.now();
      return current;
    })().finally(() => {
      indexing = undefined;
    });
    return indexing;
  };
  const run = async (name: string, args: Record<string, unknown>): Promise<ToolOutcome> => {
    try {
      const indexed = await index();
      if (name === CODEBASE_SEARCH_TOOL.name) {
        const found = await codebaseSearch(indexed, args);
        return found.ok
          ? { ok: true, output: found.text }
          : { ok: false, errorKind: "invalid_arguments", message: found.error.message };
      }
      const focus = Array.isArray(args.focus_files)
        ? args.focus_files.filter((item): item is string => typeof item === "string")
        : [];
      const budget = typeof args.max_tokens === "number" && args.max_tokens > 0 ? args.max_tokens : 2048;
      const map = repoMap(indexed, { focusFiles: focus, tokenBudget: Math.floor(budget) });
      return { ok: true, output: map.text.trim() === "" ? "(no definitions found)" : map.text };
    } catch (error) {
      return { ok: false, errorKind: "internal", message: `${name} failed: ${(error as Error).message}` };
    }
  };
  return {
    specs: () => [REPO_MAP_TOOL, CODEBASE_SEARCH_TOOL],
    prepare(call) {
      if (call.name !== REPO_MAP_TOOL.name && call.name !== CODEBASE_SEARCH_TOOL.name) {
        return {
          ok: false,
          outcome: { ok: false, errorKind: "unknown_tool", message: `no tool ${call.name}` },
        };
      }
      const parsed = parseArguments(call.argumentsJson);
      if (!parsed.ok) return parsed;
      return {
        ok: true,
        call: {
          effect: "read",
          preview: async () => ({ ok: true, preview: { summary: call.name } }),
          execute: () => run(call.name, parsed.args),
        },
      };
    },
    close() {
      store?.close();
      store = undefined;
    },
  };
}
