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

const MAX_CACHED = 10_000;

/**
 * Session settings over the key-value port (Redis in the cluster), so every
 * replica sees them. They are written once, when the session is created, and
 * never change: each replica keeps those it saved or read (the most recent
 * ones), so a session's runs do not read them from Redis again.
 */
export class SessionSettingsStore {
  private readonly cache = new Map<string, SessionSettings>();

  constructor(private readonly kv: KeyValueStore) {}

  async save(sessionId: string, settings: SessionSettings): Promise<void> {
    await this.kv.set(`session-settings:${sessionId}`, JSON.stringify(settings));
    this.remember(sessionId, settings);
  }

  async load(sessionId: string): Promise<SessionSettings> {
    const cached = this.cache.get(sessionId);
    if (cached !== undefined) return cached;
    const raw = await this.kv.get(`session-settings:${sessionId}`);
    if (raw === undefined) return DEFAULT_SETTINGS;
    const settings = { ...DEFAULT_SETTINGS, ...(JSON.parse(raw) as SessionSettings) };
    this.remember(sessionId, settings);
    return settings;
  }

  private remember(sessionId: string, settings: SessionSettings): void {
    this.cache.delete(sessionId);
    this.cache.set(sessionId, settings);
    if (this.cache.size > MAX_CACHED) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}
