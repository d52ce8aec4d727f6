// @toad/llm: TOAD's models layer. Provider adapters behind the core
// ModelClient port, configuration and the model registry, prompt caching,
// retries and fallbacks, context window, cost and routing.

export { createModelClient, type LlmClient, type ModelClientOptions } from "./client.js";
export {
  type CompactOptions,
  type CompactResult,
  chooseCut,
  compactConversation,
  SUMMARY_CLOSE,
  SUMMARY_OPEN,
  SUMMARY_SYSTEM,
  safeCuts,
  transcript,
} from "./compact.js";
export { builtinModels, builtinProviders, builtinTiers, type Env } from "./config/builtin.js";
export {
  type ConfigLocation,
  type ConfigResult,
  defaultLlmConfig,
  formatProblems,
  loadLlmConfig,
  projectConfigFile,
  type ReadText,
  resolveLlmConfig,
  userConfigFile,
} from "./config/load.js";
export type {
  LlmConfig,
  ModelEntry,
  ModelPrices,
  PriceTable,
  ProviderConfig,
  RetrySettings,
  RoutingRule,
} from "./config/types.js";
export { type ConfigLayer, type ConfigProblem, parseConfigLayer } from "./config/validate.js";
export {
  type BudgetStatus,
  CostLedger,
  cachedShare,
  checkBudget,
  type DayKey,
  formatUsd,
  ledgerFromEvents,
  localDay,
  priceTableFor,
  priceUsage,
  type SpendEntry,
} from "./cost.js";
export {
  classifyProviderError,
  MODEL_ERROR_CODES,
  type ModelError,
  type ModelErrorCode,
  modelError,
} from "./errors.js";
export { fetchSend } from "./http/fetch-send.js";
export { nodeSend } from "./http/node-send.js";
export type { HttpResponse, HttpSend } from "./http/types.js";
export { type OpenResult, openModelClient } from "./open.js";
export { buildHttpRequest, providerBody } from "./provider.js";
export { realSleep, retryDelay, type Sleep, shouldFallBack } from "./retry.js";
export {
  type ChainResult,
  chooseTier,
  findModel,
  type ResolvedModel,
  type RouteDecision,
  type RouteInput,
  resolveChain,
  tierFromWord,
  tierModels,
} from "./routing.js";
export {
  countBlockTokens,
  countMessageTokens,
  countRequestTokens,
  estimateCounter,
  estimateTokens,
  loadTiktokenCounter,
  type TokenCounter,
} from "./tokens.js";
export {
  type AttemptResult,
  type FetchLike,
  type HttpRequest,
  retryAfterFromHeaders,
  streamAttempt,
} from "./transport.js";
export { cacheBreakpointMessages, MAX_CACHE_BREAKPOINTS } from "./wire/anthropic-request.js";
export { createDecoder, decodeSseText, WIRE_APIS, type WireApi } from "./wire/decode.js";
export { OPENAI_REASONING_PREFIX } from "./wire/responses-stream.js";
export { parseSseText, SseDecoder, type SseEvent } from "./wire/sse.js";
export type { ContentEvent, DecodeOutcome, StreamDecoder, WireUsage } from "./wire/types.js";
