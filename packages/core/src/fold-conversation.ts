import type { ContentBlock, Message, ToolUseBlock } from "./conversation.js";
import type { AgentEventBody } from "./events.js";
import { ImageResolver } from "./user-images.js";

/** The answer recorded for a tool call whose result never made it into the log. */
export const MISSING_TOOL_RESULT = "No result was recorded for this tool call (the run was interrupted).";

/**
 * Rebuilds the conversation to send a model from a session's event log, so a
 * resumed session continues exactly where the log ends. Rules:
 * - a `retry` with `discardPartial` voids what the turn streamed so far;
 * - a tool call without a recorded result gets an error result (a log cut by
 *   a crash or a cancel still yields a conversation every API accepts);
 * - consecutive messages of one role are merged;
 * - a user message's images come before its text, each image's bytes taken
 *   from wherever the log stored them (`storeImagesOnce`).
 */
export function conversationFromEvents(events: Iterable<AgentEventBody>): Message[] {
  const folder = new ConversationFolder();
  for (const event of events) folder.add(event);
  return folder.finish();
}

class ConversationFolder {
  private readonly messages: Message[] = [];
  private assistant: ContentBlock[] | undefined;
  private readonly pendingCalls = new Map<string, ToolUseBlock>();
  private readonly images = new ImageResolver();

  add(event: AgentEventBody): void {
    switch (event.type) {
      case "user_message":
        this.closeTurn();
        this.answerPendingCalls();
        this.push({
          role: "user",
          content: [
            ...(event.images ?? []).map((image) => this.images.block(image)),
            // A message of images alone has no text; providers refuse an empty text block.
            ...(event.text === "" && event.images?.length
              ? []
              : [{ type: "text" as const, text: event.text }]),
          ],
        });
        return;
      case "turn_start":
        this.closeTurn();
        this.answerPendingCalls();
        this.assistant = [];
        return;
      case "text_delta":
        this.appendText(event.text);
        return;
      case "thinking_delta":
        this.appendThinking(event.text, event.signature, event.redacted);
        return;
      case "tool_call_complete": {
        const block: ToolUseBlock = {
          type: "tool_use",
          callId: event.callId,
          name: event.name,
          argumentsJson: event.argumentsJson,
        };
        this.currentAssistant().push(block);
        return;
      }
      case "retry":
        if (event.discardPartial && this.assistant) this.assistant = [];
        return;
      case "turn_end":
        this.closeTurn();
        return;
      case "tool_result":
        this.closeTurn();
        if (!this.pendingCalls.delete(event.callId)) return; // a result for a call the log never showed
        this.push({
          role: "user",
          content: [
            { type: "tool_result", callId: event.callId, output: event.output, isError: event.isError },
          ],
        });
        return;
      default:
        return;
    }
  }

  finish(): Message[] {
    this.closeTurn();
    this.answerPendingCalls();
    return this.messages;
  }

  private currentAssistant(): ContentBlock[] {
    this.assistant ??= [];
    return this.assistant;
  }

  private appendText(text: string): void {
    const blocks = this.currentAssistant();
    const last = blocks.at(-1);
    if (last?.type === "text") last.text += text;
    else blocks.push({ type: "text", text });
  }

  private appendThinking(text: string, signature: string | undefined, redacted: boolean): void {
    const blocks = this.currentAssistant();
    const last = blocks.at(-1);
    // A signature closes a thinking block; the next delta starts a new one.
    if (last?.type === "thinking" && last.signature === "" && last.redacted === redacted) {
      last.text += text;
      if (signature !== undefined) last.signature = signature;
    } else {
      blocks.push({ type: "thinking", text, signature: signature ?? "", redacted });
    }
  }

  private closeTurn(): void {
    const blocks = this.assistant;
    this.assistant = undefined;
    if (!blocks) return;
    const content = blocks.filter((block) => block.type !== "text" || block.text !== "");
    if (content.length === 0) return;
    for (const block of content) if (block.type === "tool_use") this.pendingCalls.set(block.callId, block);
    this.push({ role: "assistant", content });
  }

  private answerPendingCalls(): void {
    for (const call of this.pendingCalls.values()) {
      this.push({
        role: "user",
        content: [{ type: "tool_result", callId: call.callId, output: MISSING_TOOL_RESULT, isError: true }],
      });
    }
    this.pendingCalls.clear();
  }

  private push(message: Message): void {
    const last = this.messages.at(-1);
    if (last?.role === message.role) last.content.push(...message.content);
    else this.messages.push(message);
  }
}
