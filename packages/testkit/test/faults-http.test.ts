import Anthropic from "@anthropic-ai/sdk";
import type { ScriptedTurn } from "@toad/testkit";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import {
  type AnthropicApiError,
  anthropicClient,
  anthropicParams,
  type OpenAIApiError,
  openaiClient,
  thrown,
  useMockLlm,
} from "./helpers.js";

const startMock = useMockLlm();

const ok: ScriptedTurn = { label: "ok", content: [{ type: "text", text: "recovered" }] };

describe("HTTP faults: retries", () => {
  it("Anthropic: a 429 with retry-after-ms is retried by the SDK and the retry gets the next turn", async () => {
    const server = await startMock({
      script: { turns: [{ label: "limited", fault: { kind: "http", status: 429, retryAfterMs: 30 } }, ok] },
    });
    const started = Date.now();
    const message = await anthropicClient(server, 2).messages.stream(anthropicParams).finalMessage();
    expect(message.content).toEqual([{ type: "text", text: "recovered" }]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(server.requests.map((r) => r.answeredBy.label)).toEqual(["limited", "ok"]);
    expect(server.requests[1]?.headers["x-stainless-retry-count"]).toBe("1");
  });

  it("OpenAI Chat: a 429 is retried and succeeds on the next turn", async () => {
    const server = await startMock({
      script: { turns: [{ fault: { kind: "http", status: 429, retryAfterMs: 10 } }, ok] },
    });
    const completion = await openaiClient(server, 2)
      .chat.completions.stream({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] })
      .finalChatCompletion();
    expect(completion.choices[0]?.message.content).toBe("recovered");
    expect(server.requests).toHaveLength(2);
  });

  it("OpenAI Responses: a fault with times: 2 fails two requests, the third gets the next turn", async () => {
    const server = await startMock({
      script: { turns: [{ fault: { kind: "http", status: 503, retryAfterMs: 5 }, times: 2 }, ok] },
    });
    const response = await openaiClient(server, 2)
      .responses.stream({ model: "gpt-5.1", input: "hi" })
      .finalResponse();
    expect(response.output_text).toBe("recovered");
    expect(server.requests.map((r) => r.answeredBy.turnIndex)).toEqual([0, 0, 1]);
  });

  it("a 400 is not retried even with retries allowed", async () => {
    const server = await startMock({ script: { turns: [{ fault: { kind: "http", status: 400 } }, ok] } });
    const err = await thrown(() => anthropicClient(server, 2).messages.create(anthropicParams));
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect(server.requests).toHaveLength(1);
    expect(server.remainingTurns()).toBe(1);
  });
});

describe("HTTP faults: error classes, bodies and headers (maxRetries 0)", () => {
  it("Anthropic 429 -> RateLimitError with retry-after, request-id and a rate_limit_error body", async () => {
    const server = await startMock({
      script: {
        turns: [{ fault: { kind: "http", status: 429, retryAfterSeconds: 2, message: "slow down" } }],
      },
    });
    const err = await thrown(() => anthropicClient(server).messages.stream(anthropicParams).finalMessage());
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    const error = err as InstanceType<typeof Anthropic.RateLimitError>;
    expect(error.status).toBe(429);
    expect(error.headers?.get("retry-after")).toBe("2");
    expect(error.headers?.get("anthropic-ratelimit-requests-remaining")).toBe("3999");
    expect(error.requestID).toMatch(/^req_011C/);
    expect(error.type).toBe("rate_limit_error");
    expect(error.error).toEqual({
      type: "error",
      error: { type: "rate_limit_error", message: "slow down" },
      request_id: error.requestID,
    });
  });

  it("Anthropic 529 -> OverloadedError, 500 -> InternalServerError, 401 -> AuthenticationError", async () => {
    const server = await startMock({
      script: {
        turns: [
          { fault: { kind: "http", status: 529 } },
          { fault: { kind: "http", status: 500 } },
          { fault: { kind: "http", status: 401 } },
        ],
      },
    });
    const client = anthropicClient(server);
    const overloaded = await thrown(() => client.messages.create(anthropicParams));
    expect(overloaded).toBeInstanceOf(Anthropic.OverloadedError);
    expect((overloaded as AnthropicApiError).status).toBe(529);
    expect((overloaded as AnthropicApiError).type).toBe("overloaded_error");
    const internal = await thrown(() => client.messages.create(anthropicParams));
    expect(internal).toBeInstanceOf(Anthropic.InternalServerError);
    expect((internal as AnthropicApiError).type).toBe("api_error");
    const auth = await thrown(() => client.messages.create(anthropicParams));
    expect(auth).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((auth as AnthropicApiError).type).toBe("authentication_error");
  });

  it("OpenAI 429 -> RateLimitError with headers and an OpenAI error body", async () => {
    const server = await startMock({
      script: { turns: [{ fault: { kind: "http", status: 429, retryAfterMs: 1500, retryAfterSeconds: 2 } }] },
    });
    const err = await thrown(() =>
      openaiClient(server).chat.completions.create({
        model: "gpt-4o",
        messages: [{ role: "user", content: "hi" }],
      }),
    );
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const error = err as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error.status).toBe(429);
    expect(error.headers.get("retry-after-ms")).toBe("1500");
    expect(error.headers.get("retry-after")).toBe("2");
    expect(error.headers.get("x-request-id")).toMatch(/^req_/);
    expect(error.code).toBe("rate_limit_exceeded");
    expect(error.type).toBe("requests");
  });

  it("OpenAI 500 and 529 -> InternalServerError; 401 -> AuthenticationError with code invalid_api_key", async () => {
    const server = await startMock({
      script: {
        turns: [
          { fault: { kind: "http", status: 500 } },
          { fault: { kind: "http", status: 529 } },
          { fault: { kind: "http", status: 401 } },
        ],
      },
    });
    const client = openaiClient(server);
    const call = (): Promise<unknown> => client.responses.create({ model: "gpt-5.1", input: "hi" });
    const first = await thrown(call);
    expect(first).toBeInstanceOf(OpenAI.InternalServerError);
    expect((first as OpenAIApiError).type).toBe("server_error");
    const second = await thrown(call);
    expect(second).toBeInstanceOf(OpenAI.InternalServerError);
    expect((second as OpenAIApiError).status).toBe(529);
    const third = await thrown(call);
    expect(third).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((third as OpenAIApiError).code).toBe("invalid_api_key");
  });

  it("a custom body and x-should-retry: false (e.g. a quota error) stop the SDK retrying", async () => {
    const quota = {
      error: {
        message: "You exceeded your current quota.",
        type: "insufficient_quota",
        param: null,
        code: "insufficient_quota",
      },
    };
    const server = await startMock({
      script: { turns: [{ fault: { kind: "http", status: 429, shouldRetry: false, body: quota } }, ok] },
    });
    const err = await thrown(() =>
      openaiClient(server, 2).chat.completions.create({
        model: "gpt-4o",
        messages: [{ role: "user", content: "hi" }],
      }),
    );
    expect((err as OpenAIApiError).code).toBe("insufficient_quota");
    expect(server.requests).toHaveLength(1);
  });
});
