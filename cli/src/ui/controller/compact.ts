import { conversationFromEvents, type ModelClient } from "@toad/core";
import { compactConversation, estimateCounter, SUMMARY_CLOSE, SUMMARY_OPEN } from "@toad/llm";
import type { SessionStore } from "@toad/store";
import type { UiStore } from "../state/store.js";
import type { RunnerPort, SessionController } from "./session-controller.js";

export interface CompactDeps {
  store: SessionStore;
  runner: RunnerPort;
  model: ModelClient;
  controller: SessionController;
  ui: UiStore;
  contextWindow(model: string): number | undefined;
}

/**
 * `/compact`: the model summarises the conversation, and a new session
 * starts from that summary (the old session stays in the store, whole).
 * The summary request's usage is recorded in the new session, so its cost
 * still counts.
 */
export async function compactSession(deps: CompactDeps): Promise<void> {
  const { store, controller, ui } = deps;
  const sessionId = controller.sessionId;
  if (sessionId === undefined) return;
  const old = await deps.runner.get(sessionId);
  const messages = conversationFromEvents(await store.events(sessionId));
  ui.dispatch({
    type: "notice",
    level: "info",
    text: "Compacting: the model is summarising the conversation…",
  });
  ui.flush();
  const result = await compactConversation({
    messages,
    client: deps.model,
    counter: estimateCounter,
    contextWindow: deps.contextWindow(ui.getState().activeModel ?? old.model) ?? 200_000,
    force: true,
    keepRecentTokens: 0,
    ...(old.model !== "auto" && { summaryModel: { model: old.model } }),
  });
  if (!result.compacted) {
    const why =
      result.reason === "summary_failed" ? result.error.message : "there is nothing to summarise yet";
    ui.dispatch({ type: "notice", level: "warn", text: `Not compacted: ${why}.` });
    return;
  }
  const next = await deps.runner.create({
    cwd: old.cwd,
    model: old.model,
    permissionMode: ui.getState().mode,
    title: `${old.title || old.id} (compacted)`,
  });
  await store.append(next.id, {
    type: "user_message",
    text: `${SUMMARY_OPEN}\n${result.summary}\n${SUMMARY_CLOSE}`,
  });
  for (const event of result.events) if (event.type === "usage") await store.append(next.id, event);
  await controller.open(next.id);
  ui.dispatch({
    type: "notice",
    level: "info",
    text: `Compacted ${result.replacedMessages} messages (${result.tokensBefore} → ${result.tokensAfter} tokens) into session ${next.id}.`,
  });
}
