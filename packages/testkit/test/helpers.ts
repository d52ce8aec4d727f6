import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Anthropic from "@anthropic-ai/sdk";
import { type MockLlmOptions, type MockLlmServer, startMockLlm } from "@toad/testkit";
import OpenAI from "openai";
import { afterEach } from "vitest";

/** Starts a mock server that is closed after the current test. */
export function useMockLlm(): (options?: MockLlmOptions) => Promise<MockLlmServer> {
  const open: MockLlmServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((server) => server.close()));
  });
  return async (options) => {
    const server = await startMockLlm(options);
    open.push(server);
    return server;
  };
}

export function anthropicClient(server: MockLlmServer, maxRetries = 0): Anthropic {
  return new Anthropic({ apiKey: "sk-ant-mock", baseURL: server.url, maxRetries });
}

export function openaiClient(server: MockLlmServer, maxRetries = 0): OpenAI {
  return new OpenAI({ apiKey: "sk-mock", baseURL: `${server.url}/v1`, maxRetries });
}

/**
 * The recorded wire fixtures: shared/ sits beside the repository checkout (locally
 * and in CI). TOAD_WIRE_FIXTURES overrides the location.
 */
export const WIRE_FIXTURES =
  process.env.TOAD_WIRE_FIXTURES ??
  fileURLToPath(new URL("../../../../shared/fixtures/wire/", import.meta.url));

export function fixture(relative: string): string {
  const path = `${WIRE_FIXTURES.replace(/\/$/u, "")}/${relative}`;
  if (!existsSync(path)) throw new Error(`wire fixture missing: ${path} (set TOAD_WIRE_FIXTURES)`);
  return path;
}

/** The smallest Anthropic request the fault tests send. */
export const anthropicParams = {
  model: "claude-toad-test",
  max_tokens: 256,
  messages: [{ role: "user" as const, content: "hello" }],
};

/** The smallest Chat Completions request the fault tests send. */
export const chatParams = { model: "gpt-4o", messages: [{ role: "user" as const, content: "hello" }] };

/** Runs `fn` and returns what it threw; fails the test when it resolves. */
export async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected a rejection");
}

export type AnthropicApiError = InstanceType<typeof Anthropic.APIError>;
export type OpenAIApiError = InstanceType<typeof OpenAI.APIError>;
