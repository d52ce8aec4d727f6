import type { ChatItem, UiState } from "./types.js";
import { selectedEntry } from "./viewport.js";

export interface EditDiff {
  /** The tool card the diff belongs to. */
  id: string;
  name: string;
  target: string;
  diff: string;
  pending: boolean;
}

function diffOf(item: ChatItem | undefined): EditDiff | undefined {
  if (item?.kind !== "tool" || !item.approval?.diff) return undefined;
  return {
    id: item.id,
    name: item.name,
    target: item.approval.summary,
    diff: item.approval.diff,
    pending: item.status === "approval" && item.approval.decision === undefined,
  };
}

/**
 * The edit the diff panel shows: the selected card's (Agent mode), else the
 * newest one, pending or done (searched from the end: cheap on a long history).
 */
export function shownEdit(state: UiState): EditDiff | undefined {
  const selected = diffOf(selectedEntry(state));
  if (selected) return selected;
  for (let index = state.live.tools.length - 1; index >= 0; index--) {
    const diff = diffOf(state.live.tools[index]);
    if (diff) return diff;
  }
  for (let index = state.items.length - 1; index >= 0; index--) {
    const diff = diffOf(state.items[index]);
    if (diff) return diff;
  }
  return undefined;
}
