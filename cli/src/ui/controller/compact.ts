import { conversationFromEvents, type ModelClient } from "@toad/core";
import { compactConversation, estimateCounter, SUMMARY_CLOSE, SUMMARY_OPEN } from "@toad/llm";
import type { SessionStore } from "@toad/store";
import type { UiStore } from "../state/store.js";
import type { RunnerPort, SessionController } from "./session-controller.js";

export interface CompactDeps {
  store: Pick<SessionStore, "events" | "append">;
  runner: RunnerPort;
  model: ModelClient;
  controller: SessionController;
  ui: UiStore;
  contextWindow(model: string): number | undefined;
  /** Where the model's view of a log starts (the runner's `conversationStart`). */
  conversationStart(history: readonly import("@toad/core").AgentEventBody[]): number;
}

/**
 * `/compact`, in place: the model summarises the conversation so far, and the
 * summary is appended to this session's log as a user message. The runner
 * starts the model's view of the session at the last summary, so the next
 * prompt continues from it; the log (and the chat above) keep everything.
 * The summary request's usage goes in the log too, so its cost counts.
 */
export async function compactSession(deps: CompactDeps): Promise<void> {
  const { store, controller, ui } = deps;
  const sessionId = controller.sessionId;
  if (sessionId === undefined) return;
  if (controller.running) {
    ui.dispatch({ type: "notice", level: "warn", text: "Not compacted: the agent is working (esc first)." });
    return;
  }
  const session = await deps.runner.get(sessionId);
  const log = await store.events(sessionId);
  const messages = conversationFromEvents(log.slice(deps.conversationStart(log)));
  ui.dispatch({
    type: "notice",
    level: "info",
    text: "Compacting: the model is summarising the conversation…",
  });
  ui.flush();
  const model = ui.getState().model;
  const chosen = model !== "auto" ? model : session.model !== "auto" ? session.model : undefined;
  const result = await compactConversation({
    messages,
    client: deps.model,
    counter: estimateCounter,
    contextWindow: deps.contextWindow(ui.getState().activeModel ?? chosen ?? session.model) ?? 200_000,
    force: true,
    keepRecentTokens: 0,
    ...(chosen !== undefined && { summaryModel: { model: chosen } }),
  });
  if (!result.compacted) {
    const why =
      result.reason === "summary_failed" ? result.error.message : "there is nothing to summarise yet";
    ui.dispatch({ type: "notice", level: "warn", text: `Not compacted: ${why}.` });
    return;
  }
  for (const event of result.events) {
    if (event.type === "usage") ui.dispatch({ type: "event", event: await store.append(sessionId, event) });
  }
  const summary = await store.append(sessionId, {
    type: "user_message",
    text: `${SUMMARY_OPEN}\n${result.summary}\n${SUMMARY_CLOSE}`,
  });
  ui.dispatch({ type: "event", event: summary });
  ui.dispatch({
    type: "notice",
    level: "info",
    text: `Compacted ${result.replacedMessages} messages (${result.tokensBefore} → ${result.tokensAfter} tokens); the session continues from the summary.`,
  });
}
