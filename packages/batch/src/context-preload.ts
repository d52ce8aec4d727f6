import { IndexStore, indexRepository, TreeSitterRuntime, taskContext } from "@toad/context";
import type { ContextHooks, PreloadedContext } from "./instance-runner.js";
import type { RunRecord } from "./run-dir.js";
import type { BatchInstance } from "./types.js";

export interface ContextPreloaderOptions {
  /** Tokens of pre-loaded context in the first prompt (map + retrieved code). Default 8000. */
  tokenBudget?: number;
  runtime?: TreeSitterRuntime;
}

/**
 * The context pre-loading switch, backed by packages/context: the instance's
 * workspace is indexed (tree-sitter symbols, in memory), and the first prompt
 * gets a repository map focused on the files the problem statement points at
 * plus the hybrid-retrieval results for it (`taskContext`).
 */
export function createContextPreloader(
  options: ContextPreloaderOptions = {},
): Required<Pick<ContextHooks, "preload">> & { names: Pick<RunRecord["hooks"], "contextPreload"> } {
  // One runtime per process: grammars load once, whatever the number of instances.
  const runtime = options.runtime ?? new TreeSitterRuntime();
  return {
    names: { contextPreload: "context:repo-map+hybrid" },
    async preload(
      instance: BatchInstance,
      workspaceRoot: string,
      signal: AbortSignal,
    ): Promise<PreloadedContext> {
      const store = IndexStore.open(":memory:");
      try {
        await indexRepository(workspaceRoot, store, () => {}, { runtime });
        signal.throwIfAborted();
        const found = await taskContext(store, instance.problem_statement, {
          tokenBudget: options.tokenBudget ?? 8000,
        });
        return found.text.trim() === "" ? {} : { context: found.text };
      } finally {
        store.close();
      }
    },
  };
}
