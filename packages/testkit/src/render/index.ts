import type { PlannedTurn } from "../plan.js";
import type { WireFormat } from "../script.js";
import type { StreamRender } from "../sse.js";
import { renderAnthropicJson, renderAnthropicStream } from "./anthropic.js";
import { type ChatRenderOptions, renderChatJson, renderChatStream } from "./openai-chat.js";
import { renderResponsesJson, renderResponsesStream } from "./openai-responses.js";

/** What a renderer needs to know about the request beyond the turn itself. */
export interface RenderContext {
  body: Record<string, unknown>;
  chatReasoningField: ChatRenderOptions["reasoningField"];
}

function chatOptions(ctx: RenderContext): ChatRenderOptions {
  const streamOptions = ctx.body.stream_options as { include_usage?: unknown } | undefined;
  return { includeUsage: streamOptions?.include_usage === true, reasoningField: ctx.chatReasoningField };
}

export function renderStream(wire: WireFormat, turn: PlannedTurn, ctx: RenderContext): StreamRender {
  switch (wire) {
    case "anthropic":
      return renderAnthropicStream(turn);
    case "openai-chat":
      return renderChatStream(turn, chatOptions(ctx));
    case "openai-responses":
      return renderResponsesStream(turn, ctx.body);
  }
}

export function renderJson(wire: WireFormat, turn: PlannedTurn, ctx: RenderContext): unknown {
  switch (wire) {
    case "anthropic":
      return renderAnthropicJson(turn);
    case "openai-chat":
      return renderChatJson(turn, chatOptions(ctx));
    case "openai-responses":
      return renderResponsesJson(turn, ctx.body);
  }
}
