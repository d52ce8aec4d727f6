import { splitJson, splitText } from "../chunking.js";
import { newId } from "../ids.js";
import type { PlannedToolCall, PlannedTurn, PlannedUsage } from "../plan.js";
import type { StopReason } from "../script.js";
import { type SseFrame, type StreamRender, sseFrame } from "../sse.js";

// OpenAI Chat Completions (POST /v1/chat/completions). Shapes follow the real
// captures in fixtures/wire/openai_chat: data-only events, role on the first delta,
// tool calls opened with {index,id,type,function:{name,arguments:""}} and continued
// with {index,function:{arguments}}, finish_reason in an empty-delta chunk, the
// `choices: []` usage chunk when include_usage is set, then [DONE].

export interface ChatRenderOptions {
  includeUsage: boolean;
  /** Delta field for thinking text; OpenAI itself sends none, DeepSeek/xAI use reasoning_content. */
  reasoningField: "reasoning_content" | "reasoning" | "none";
}

const FINISH_REASONS: Record<StopReason, string> = {
  end_turn: "stop",
  tool_use: "tool_calls",
  max_tokens: "length",
  refusal: "content_filter",
};

export function chatFinishReason(stop: StopReason): string {
  return FINISH_REASONS[stop];
}

function chatUsage(usage: PlannedUsage): Record<string, unknown> {
  const prompt = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
  return {
    prompt_tokens: prompt,
    completion_tokens: usage.outputTokens,
    total_tokens: prompt + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cacheReadTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: usage.reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

export function renderChatStream(turn: PlannedTurn, options: ChatRenderOptions): StreamRender {
  const id = newId.chatCompletion();
  const fingerprint = newId.fingerprint();
  const frames: SseFrame[] = [];
  const chunk = (choices: unknown[], usage: unknown, paced = false): void => {
    const data: Record<string, unknown> = {
      id,
      object: "chat.completion.chunk",
      created: turn.created,
      model: turn.model,
      service_tier: "default",
      system_fingerprint: fingerprint,
      choices,
    };
    if (options.includeUsage) data.usage = usage;
    frames.push(sseFrame(undefined, data, paced));
  };
  const delta = (d: Record<string, unknown>, paced = true): void => {
    chunk([{ index: 0, delta: d, logprobs: null, finish_reason: null }], null, paced);
  };

  const hasText = turn.blocks.some((block) => block.type === "text");
  delta({ role: "assistant", content: hasText ? "" : null, refusal: null }, false);
  let toolIndex = 0;
  for (const block of turn.blocks) {
    if (block.type === "text") {
      for (const content of splitText(block.text)) delta({ content });
    } else if (block.type === "thinking") {
      if (options.reasoningField === "none") continue;
      for (const text of splitText(block.text)) delta({ [options.reasoningField]: text });
    } else {
      const index = toolIndex++;
      delta({
        tool_calls: [
          { index, id: block.id, type: "function", function: { name: block.name, arguments: "" } },
        ],
      });
      for (const args of splitJson(block.argumentsJson)) {
        delta({ tool_calls: [{ index, function: { arguments: args } }] });
      }
    }
  }
  const terminalIndex = frames.length;
  chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: chatFinishReason(turn.stopReason) }], null);
  if (options.includeUsage) chunk([], chatUsage(turn.usage));
  frames.push(sseFrame(undefined, "[DONE]"));
  return { frames, terminalIndex, errorFrames: (_at, type, message) => chatMidstreamError(type, message) };
}

function toolCallJson(block: PlannedToolCall): Record<string, unknown> {
  return { id: block.id, type: "function", function: { name: block.name, arguments: block.argumentsJson } };
}

export function renderChatJson(turn: PlannedTurn, options: ChatRenderOptions): Record<string, unknown> {
  const texts: string[] = [];
  const reasoning: string[] = [];
  const toolCalls: Record<string, unknown>[] = [];
  for (const block of turn.blocks) {
    if (block.type === "text") texts.push(block.text);
    else if (block.type === "thinking") reasoning.push(block.text);
    else toolCalls.push(toolCallJson(block));
  }
  const message: Record<string, unknown> = {
    role: "assistant",
    content: texts.length > 0 ? texts.join("") : null,
    refusal: null,
    annotations: [],
  };
  if (reasoning.length > 0 && options.reasoningField !== "none") {
    message[options.reasoningField] = reasoning.join("");
  }
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    id: newId.chatCompletion(),
    object: "chat.completion",
    created: turn.created,
    model: turn.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: chatFinishReason(turn.stopReason) }],
    usage: chatUsage(turn.usage),
    service_tier: "default",
    system_fingerprint: newId.fingerprint(),
  };
}

/** OpenAI sends a mid-stream failure as a data chunk holding only `error`; no [DONE] follows. */
function chatMidstreamError(errorType?: string, message?: string): SseFrame[] {
  return [
    sseFrame(undefined, {
      error: {
        message: message ?? "The server had an error while processing your request. Sorry about that!",
        type: errorType ?? "server_error",
        param: null,
        code: null,
      },
    }),
  ];
}
