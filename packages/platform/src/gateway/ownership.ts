import type { KeyValueStore } from "../kv/port.js";

/** Which org each session belongs to, over the key-value port. */
export class SessionOwnership {
  constructor(private readonly kv: KeyValueStore) {}

  async assign(sessionId: string, orgId: string): Promise<void> {
    await this.kv.setIfAbsent(`session-org:${sessionId}`, orgId);
    await this.kv.addToSet(`org-sessions:${orgId}`, sessionId);
  }

  async ownerOf(sessionId: string): Promise<string | undefined> {
    return this.kv.get(`session-org:${sessionId}`);
  }

  async sessionsOf(orgId: string): Promise<string[]> {
    return this.kv.members(`org-sessions:${orgId}`);
  }
}
