import type { ConfigLayer } from "../../src/config/validate.js";

/** One model per wire format, all pointed at the scripted server through the SDK variables. */
export const WIRES = [
  { wire: "anthropic", model: "claude-haiku-4-5", keyEnv: "ANTHROPIC_API_KEY" },
  { wire: "openai-chat", model: "gpt-5-mini", keyEnv: "OPENAI_API_KEY" },
  { wire: "openai-responses", model: "gpt-5-nano", keyEnv: "OPENAI_API_KEY" },
] as const;

/** gpt-5-mini speaks Chat Completions in these tests; gpt-5-nano keeps the Responses default. */
export const WIRE_LAYER: Partial<ConfigLayer> = { models: { "gpt-5-mini": { provider: "openai-chat" } } };
