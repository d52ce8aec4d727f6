export { buildRepoLsa, chunkVectorId, embedChunks } from "./embed/embed-chunks.js";
export { HashingEmbedder } from "./embed/hashing-embedder.js";
export { LsaEmbedder, type LsaOptions } from "./embed/lsa.js";
export { OpenAIEmbedder, type OpenAIEmbedderOptions } from "./embed/openai-embedder.js";
export { cosine, type Embedder, EmbeddingError } from "./embed/port.js";
export { nodeId, syncCodeGraph } from "./graph/build.js";
export { FalkorCodeGraph, type FalkorGraphOptions } from "./graph/falkor-graph.js";
export * from "./graph/port.js";
export { SqliteCodeGraph } from "./graph/sqlite-graph.js";
export {
  type IndexError,
  type IndexOptions,
  type IndexProgress,
  type IndexResult,
  indexRepository,
} from "./index/indexer.js";
export { listFiles } from "./index/walk.js";
export { type PageRankOptions, pageRank } from "./map/pagerank.js";
export { ReferenceGraph } from "./map/reference-graph.js";
export {
  estimateTokens,
  type RankedDefinition,
  type RepoMapOptions,
  RepoMapper,
  type RepoMapResult,
  repoMap,
} from "./map/repo-map.js";
export { analyzeFile } from "./parse/analyze.js";
export { LANGUAGES, type LanguageId, languageForPath } from "./parse/languages.js";
export { TreeSitterRuntime } from "./parse/runtime.js";
export { createSyntaxChecker } from "./parse/syntax-checker.js";
export type * from "./parse/types.js";
export {
  CODEBASE_SEARCH_TOOL,
  type CodebaseSearchResult,
  codebaseSearch,
} from "./retrieval/codebase-search.js";
export { type Channel, type Fused, reciprocalRankFusion } from "./retrieval/fusion.js";
export { type SearchHit, type SearchOptions, type SearchResult, search } from "./retrieval/hybrid.js";
export {
  type Localization,
  type LocalizeOptions,
  localize,
  type RankedFile,
  type RankedFunction,
} from "./retrieval/localize.js";
export { type TaskContext, taskContext } from "./retrieval/preload.js";
export { isTestPath } from "./retrieval/signals.js";
export {
  type Route,
  type RouteDecision,
  type Router,
  SemanticRouter,
  type SemanticRouterOptions,
} from "./route/semantic-router.js";
export { type Bm25Options, type FieldWeights, searchChunks, searchFiles } from "./search/bm25.js";
export { identifiersIn, splitIdentifier, tokenize } from "./search/tokenize.js";
export * from "./store/index-store.js";
export { MemoryVectorIndex } from "./vector/memory-index.js";
export type * from "./vector/port.js";
export { pointId, type QdrantIndexOptions, QdrantVectorIndex } from "./vector/qdrant-index.js";
