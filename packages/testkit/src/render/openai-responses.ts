import { splitJson, splitText } from "../chunking.js";
import { newId } from "../ids.js";
import type { PlannedBlock, PlannedTurn, PlannedUsage } from "../plan.js";
import { type SseFrame, type StreamRender, sseFrame } from "../sse.js";

// OpenAI Responses API (POST /v1/responses). Every event is named, carries a
// monotonic sequence_number (its position in the stream), and the lifecycle is
// created -> in_progress -> output items -> completed | incomplete | failed, as in
// the captures in fixtures/wire/openai_responses. One output item per script block:
// thinking -> reasoning item with a summary, text -> message item, tool_call ->
// function_call item (call_id is the script's tool-call id).

type Json = Record<string, unknown>;

function responsesUsage(usage: PlannedUsage): Json {
  const input = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage.cacheReadTokens },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    total_tokens: input + usage.outputTokens,
  };
}

function outcome(turn: PlannedTurn): { status: "completed" | "incomplete"; reason: string | null } {
  if (turn.stopReason === "max_tokens") return { status: "incomplete", reason: "max_output_tokens" };
  if (turn.stopReason === "refusal") return { status: "incomplete", reason: "content_filter" };
  return { status: "completed", reason: null };
}

/** The Response object as the lifecycle events carry it. */
function responseObject(id: string, turn: PlannedTurn, request: Json, fields: Json): Json {
  return {
    id,
    object: "response",
    created_at: turn.created,
    status: "in_progress",
    background: false,
    error: null,
    incomplete_details: null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    model: turn.model,
    output: [],
    parallel_tool_calls: true,
    previous_response_id: request.previous_response_id ?? null,
    reasoning: { effort: null, summary: null },
    service_tier: "default",
    store: request.store ?? true,
    temperature: 1,
    text: { format: { type: "text" } },
    tool_choice: "auto",
    tools: request.tools ?? [],
    top_p: 1,
    truncation: "disabled",
    usage: null,
    user: null,
    metadata: {},
    ...fields,
  };
}

/** The finished item for a block, and the events that stream it (without sequence numbers). */
function itemEvents(
  block: PlannedBlock,
  outputIndex: number,
  status: string,
): { item: Json; events: Json[] } {
  const at = { output_index: outputIndex };
  switch (block.type) {
    case "thinking": {
      const id = newId.responseItem("rs");
      const part = { type: "summary_text", text: block.text };
      const item = { id, type: "reasoning", summary: [part], encrypted_content: block.signature };
      const where = { item_id: id, ...at, summary_index: 0 };
      return {
        item,
        events: [
          { type: "response.output_item.added", ...at, item: { ...item, summary: [] } },
          { type: "response.reasoning_summary_part.added", ...where, part: { ...part, text: "" } },
          ...splitText(block.text).map((delta) => ({
            type: "response.reasoning_summary_text.delta",
            ...where,
            delta,
          })),
          { type: "response.reasoning_summary_text.done", ...where, text: block.text },
          { type: "response.reasoning_summary_part.done", ...where, part },
          { type: "response.output_item.done", ...at, item },
        ],
      };
    }
    case "text": {
      const id = newId.responseItem("msg");
      const part = { type: "output_text", annotations: [], logprobs: [], text: block.text };
      const item = { id, type: "message", status, content: [part], role: "assistant" };
      const where = { item_id: id, ...at, content_index: 0 };
      return {
        item,
        events: [
          {
            type: "response.output_item.added",
            ...at,
            item: { ...item, status: "in_progress", content: [] },
          },
          { type: "response.content_part.added", ...where, part: { ...part, text: "" } },
          ...splitText(block.text).map((delta) => ({
            type: "response.output_text.delta",
            ...where,
            delta,
            logprobs: [],
          })),
          { type: "response.output_text.done", ...where, text: block.text, logprobs: [] },
          { type: "response.content_part.done", ...where, part },
          { type: "response.output_item.done", ...at, item },
        ],
      };
    }
    case "tool_call": {
      const id = newId.responseItem("fc");
      const item = {
        id,
        type: "function_call",
        status,
        arguments: block.argumentsJson,
        call_id: block.id,
        name: block.name,
      };
      const where = { item_id: id, ...at };
      return {
        item,
        events: [
          {
            type: "response.output_item.added",
            ...at,
            item: { ...item, status: "in_progress", arguments: "" },
          },
          ...splitJson(block.argumentsJson).map((delta) => ({
            type: "response.function_call_arguments.delta",
            ...where,
            delta,
          })),
          { type: "response.function_call_arguments.done", ...where, arguments: block.argumentsJson },
          { type: "response.output_item.done", ...at, item },
        ],
      };
    }
  }
}

const PACED = new Set([
  "response.output_text.delta",
  "response.function_call_arguments.delta",
  "response.reasoning_summary_text.delta",
]);

function renderItems(turn: PlannedTurn): { items: Json[]; events: Json[] } {
  const { status } = outcome(turn);
  const items: Json[] = [];
  const events: Json[] = [];
  turn.blocks.forEach((block, index) => {
    // When the turn was cut short by max tokens, the last item is the unfinished one.
    const itemStatus =
      status === "incomplete" && index === turn.blocks.length - 1 ? "incomplete" : "completed";
    const rendered = itemEvents(block, index, itemStatus);
    items.push(rendered.item);
    events.push(...rendered.events);
  });
  return { items, events };
}

export function renderResponsesStream(turn: PlannedTurn, request: Json): StreamRender {
  const id = newId.response();
  const { items, events } = renderItems(turn);
  const { status, reason } = outcome(turn);
  const all: Json[] = [
    { type: "response.created", response: responseObject(id, turn, request, {}) },
    { type: "response.in_progress", response: responseObject(id, turn, request, {}) },
    ...events,
  ];
  const terminalIndex = all.length;
  all.push({
    type: status === "completed" ? "response.completed" : "response.incomplete",
    response: responseObject(id, turn, request, {
      status,
      completed_at: status === "completed" ? Math.floor(Date.now() / 1000) : null,
      incomplete_details: reason === null ? null : { reason },
      output: items,
      usage: responsesUsage(turn.usage),
    }),
  });
  const frames = all.map((event, sequence) =>
    sseFrame(String(event.type), { ...event, sequence_number: sequence }, PACED.has(String(event.type))),
  );
  const errorFrames = (at: number, errorType?: string, message?: string): SseFrame[] => {
    const code = errorType ?? "server_error";
    const text = message ?? "The server had an error while processing your request. Sorry about that!";
    return [
      sseFrame("error", {
        type: "error",
        sequence_number: at,
        error: { type: code, code, message: text, param: null },
      }),
      sseFrame("response.failed", {
        type: "response.failed",
        sequence_number: at + 1,
        response: responseObject(id, turn, request, { status: "failed", error: { code, message: text } }),
      }),
    ];
  };
  return { frames, terminalIndex, errorFrames };
}

export function renderResponsesJson(turn: PlannedTurn, request: Json): Json {
  const { items } = renderItems(turn);
  const { status, reason } = outcome(turn);
  return responseObject(newId.response(), turn, request, {
    status,
    completed_at: status === "completed" ? Math.floor(Date.now() / 1000) : null,
    incomplete_details: reason === null ? null : { reason },
    output: items,
    usage: responsesUsage(turn.usage),
  });
}
