import type { ToolSpec } from "@toad/core";
import type { Tool } from "./tool.js";
import type { ToolPreview } from "./types.js";

/**
 * Previews shown for approval, by call id, until the call executes: the
 * agent loop may prepare a call once to preview it and again to run it.
 */
export interface PreviewLedger {
  remember(callId: string, preview: ToolPreview): void;
  /** Returns and forgets the preview of a call. */
  take(callId: string): ToolPreview | undefined;
}

/** Calls previewed but never run (denied) are forgotten oldest first past this many. */
const LEDGER_SIZE = 256;

function createPreviewLedger(): PreviewLedger {
  const previews = new Map<string, ToolPreview>();
  return {
    remember(callId, preview) {
      previews.delete(callId);
      previews.set(callId, preview);
      for (const oldest of previews.keys()) {
        if (previews.size <= LEDGER_SIZE) break;
        previews.delete(oldest);
      }
    },
    take(callId) {
      const preview = previews.get(callId);
      previews.delete(callId);
      return preview;
    },
  };
}

export interface ToolRegistry {
  get(name: string): Tool | undefined;
  /** In registration order. */
  list(): readonly Tool[];
  readonly previews: PreviewLedger;
}

export function createRegistry(tools: readonly Tool[]): ToolRegistry {
  const byName = new Map<string, Tool>();
  for (const tool of tools) {
    if (byName.has(tool.name)) throw new Error(`duplicate tool name: ${tool.name}`);
    byName.set(tool.name, tool);
  }
  const ordered = [...byName.values()];
  return { get: (name) => byName.get(name), list: () => ordered, previews: createPreviewLedger() };
}

/** The specs offered to the model. */
export function toolSpecs(registry: ToolRegistry): ToolSpec[] {
  return registry.list().map((tool) => tool.spec());
}
