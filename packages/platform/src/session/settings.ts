import type { ToolLocation } from "../convert/enums.js";
import type { KeyValueStore } from "../kv/port.js";

/** What a cluster session has beyond the store's `SessionRecord`. */
export interface SessionSettings {
  toolLocation: ToolLocation;
  /** Sandbox workspace, when tools run in one. */
  workspaceId: string;
  /** 0: no cap. */
  budgetUsd: number;
}

export const DEFAULT_SETTINGS: SessionSettings = { toolLocation: "sandbox", workspaceId: "", budgetUsd: 0 };

/** Session settings over the key-value port (Redis in the cluster), so every replica sees them. */
export class SessionSettingsStore {
  constructor(private readonly kv: KeyValueStore) {}

  async save(sessionId: string, settings: SessionSettings): Promise<void> {
    await this.kv.set(`session-settings:${sessionId}`, JSON.stringify(settings));
  }

  async load(sessionId: string): Promise<SessionSettings> {
    const raw = await this.kv.get(`session-settings:${sessionId}`);
    return raw === undefined
      ? DEFAULT_SETTINGS
      : { ...DEFAULT_SETTINGS, ...(JSON.parse(raw) as SessionSettings) };
  }
}
