// Anthropic Messages SSE frames as the real API writes them, for the llm benchmarks' stand-in servers.

/** One SSE frame: `event:` (when named) and `data:` lines. */
export function sse(name, data) {
  return `${name ? `event: ${name}\n` : ""}data: ${JSON.stringify(data)}\n\n`;
}

/** The `message_start` frame that opens every answer. */
export function messageStart(usage) {
  return sse("message_start", {
    type: "message_start",
    message: {
      id: "msg_01",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-6",
      content: [],
      stop_reason: null,
      usage,
    },
  });
}
