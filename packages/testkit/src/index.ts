// @toad/testkit: a scripted model server on loopback that speaks the real wire
// formats (Anthropic Messages, OpenAI Chat Completions, OpenAI Responses).

export { loadScript } from "./load.js";
export { freePort } from "./ports.js";
export { matches } from "./queue.js";
export {
  type AnsweredBy,
  lastUserText,
  type RecordedRequest,
  type Route,
  routeOf,
  toolResultText,
} from "./request.js";
export {
  type ContentBlock,
  type CutFault,
  checkTurn,
  type Fault,
  type HttpFault,
  type MatchSpec,
  type MidstreamErrorFault,
  type MockScript,
  parseScript,
  ScriptError,
  type ScriptedTurn,
  type ScriptedUsage,
  type StopReason,
  type TextBlock,
  type ThinkingBlock,
  type ToolCallBlock,
  type WireFormat,
} from "./script.js";
export { type MockLlmOptions, type MockLlmServer, type Responder, startMockLlm } from "./server.js";
