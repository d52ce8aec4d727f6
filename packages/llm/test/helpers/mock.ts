import type { ModelRequest, ModelStreamEvent } from "@toad/core";
import { type MockLlmOptions, type MockLlmServer, type ScriptedTurn, startMockLlm } from "@toad/testkit";
import { createModelClient, type LlmClient, type ModelClientOptions } from "../../src/client.js";
import type { Env } from "../../src/config/builtin.js";
import { resolveLlmConfig } from "../../src/config/load.js";
import type { LlmConfig } from "../../src/config/types.js";
import type { ConfigLayer } from "../../src/config/validate.js";

/** The environment a user pointing the SDK variables at the mock server would have. */
export function mockEnv(server: MockLlmServer): Env {
  return {
    ANTHROPIC_API_KEY: "sk-ant-test",
    ANTHROPIC_BASE_URL: server.url,
    OPENAI_API_KEY: "sk-openai-test",
    OPENAI_BASE_URL: `${server.url}/v1`,
  };
}

/** A config built the production way (defaults + env + a layer), for the mock server. */
export function mockConfig(env: Env, layer: Partial<ConfigLayer> = {}): LlmConfig {
  const full: ConfigLayer = { file: "test", providers: {}, models: {}, tiers: {}, retry: {}, ...layer };
  const { config, problems } = resolveLlmConfig([full], env);
  if (problems.length > 0) throw new Error(JSON.stringify(problems));
  return config;
}

export interface Harness {
  server: MockLlmServer;
  client: LlmClient;
  sleeps: number[];
  env: Env;
}

type LayerOption = Partial<ConfigLayer> | ((server: MockLlmServer) => Partial<ConfigLayer>);

/** A mock server plus a client whose backoff sleeps are recorded, not waited. */
export async function harness(
  turns: ScriptedTurn[],
  options: {
    layer?: LayerOption;
    client?: Partial<ModelClientOptions>;
    env?: Env;
    server?: Omit<MockLlmOptions, "script">;
  } = {},
): Promise<Harness> {
  const server = await startMockLlm({ ...options.server, script: turns });
  const env = { ...mockEnv(server), ...options.env };
  const layer = typeof options.layer === "function" ? options.layer(server) : options.layer;
  const sleeps: number[] = [];
  const client = createModelClient({
    config: mockConfig(env, layer),
    env,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...options.client,
  });
  return { server, client, sleeps, env };
}

export async function collect(stream: AsyncIterable<ModelStreamEvent>): Promise<ModelStreamEvent[]> {
  const out: ModelStreamEvent[] = [];
  for await (const event of stream) out.push(event);
  return out;
}

export function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    turn: 1,
    system: "You are TOAD.",
    messages: [{ role: "user", content: [{ type: "text", text: "hello" }] }],
    tools: [],
    ...overrides,
  };
}

export function textOf(events: ModelStreamEvent[]): string {
  return events.map((e) => (e.type === "text_delta" ? e.text : "")).join("");
}

export function ofType<T extends ModelStreamEvent["type"]>(
  events: ModelStreamEvent[],
  type: T,
): Extract<ModelStreamEvent, { type: T }>[] {
  return events.filter((e): e is Extract<ModelStreamEvent, { type: T }> => e.type === type);
}

export const READ_FILE_TOOL = {
  name: "read_file",
  description: "Read a file from the workspace.",
  inputSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
};
