import { existsSync } from "node:fs";
import { IndexStore, repoMap, search } from "@toad/context";
import type * as pb from "@toad/proto";
import { notFound } from "../errors.js";
import type { ContextBackends } from "./context-backends.js";
import { indexPath } from "./indexer-service.js";

/**
 * `toad.v1.ContextService` over the context engine (packages/context): hybrid
 * retrieval and the ranked repository map, read from the indexes the indexer
 * writes into the shared data folder.
 */
export function createContextService(deps: {
  dataDir: string;
  /** Dense vectors and the code graph (Qdrant/FalkorDB or embedded); absent: lexical retrieval only. */
  backends?: ContextBackends;
}): pb.ContextServiceImplementation {
  function open(repoId: string): IndexStore {
    const path = indexPath(deps.dataDir, repoId);
    if (!existsSync(path))
      throw notFound(`repository ${JSON.stringify(repoId)} has no index: index it first`);
    return IndexStore.open(path);
  }
  return {
    async retrieve(request) {
      const store = open(request.repoId);
      try {
        const dense = deps.backends
          ? await deps.backends.searchOptions(request.repoId, store, indexPath(deps.dataDir, request.repoId))
          : {};
        const result = await search(store, request.query, {
          ...dense,
          ...(request.tokenBudget > 0 && { tokenBudget: request.tokenBudget }),
          ...(request.maxItems > 0 && { limit: request.maxItems }),
        });
        return {
          items: result.items.map((item) => ({
            path: item.path,
            startLine: item.startLine,
            endLine: item.endLine,
            content: item.text,
            score: item.score,
            tokens: item.tokens,
            reasons: item.reasons,
            symbol: item.symbol ?? "",
          })),
          tokensUsed: result.tokens,
        };
      } finally {
        store.close();
      }
    },

    async getRepoMap(request) {
      const store = open(request.repoId);
      try {
        const map = repoMap(store, {
          ...(request.tokenBudget > 0 && { tokenBudget: request.tokenBudget }),
          focusFiles: request.focusPaths,
          focusIdentifiers: request.focusSymbols,
        });
        return { text: map.text, tokens: map.tokens };
      } finally {
        store.close();
      }
    },
  };
}
