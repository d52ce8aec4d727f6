import type { KeyValueStore } from "../kv/port.js";
import { RedisScript } from "../redis/script.js";

// SET NX of the owner, then the org's index: one command on Redis.
const ASSIGN_SCRIPT = new RedisScript(`
redis.call('SET', KEYS[1], ARGV[1], 'NX')
redis.call('SADD', KEYS[2], ARGV[2])
return 1`);

/** Which org each session belongs to, over the key-value port. */
export class SessionOwnership {
  constructor(private readonly kv: KeyValueStore) {}

  /** The key holding the org of `sessionId` (read along with the caller's token by `Guard.authorizeReading`). */
  keyOf(sessionId: string): string {
    return `session-org:${sessionId}`;
  }

  async assign(sessionId: string, orgId: string): Promise<void> {
    if (this.kv.runScript) {
      await this.kv.runScript(
        ASSIGN_SCRIPT,
        [this.keyOf(sessionId), `org-sessions:${orgId}`],
        [orgId, sessionId],
      );
      return;
    }
    await this.kv.setIfAbsent(this.keyOf(sessionId), orgId);
    await this.kv.addToSet(`org-sessions:${orgId}`, sessionId);
  }

  async ownerOf(sessionId: string): Promise<string | undefined> {
    return this.kv.get(this.keyOf(sessionId));
  }

  async sessionsOf(orgId: string): Promise<string[]> {
    return this.kv.members(`org-sessions:${orgId}`);
  }
}
