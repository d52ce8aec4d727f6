import type { AgentEventBody } from "@toad/core";
import type { CreatedSession } from "@toad/session";
import type { SessionRecord } from "@toad/store";

const MAX_KEPT = 10_000;

/**
 * The logs of sessions this replica just created and that have not run yet
 * (one session_started event each), so their first run does not read back
 * from the store a log this replica wrote a moment ago. A log is used only
 * while the store's record still ends at the same seq (nothing was appended
 * since, by any replica), and only once.
 *
 * Such a session never ran anywhere, so its first message asks no replica
 * whether it runs: a run that started elsewhere is in the run records before
 * it logs anything, and a start racing this one on another replica is the
 * same race any two concurrent messages have.
 */
export class FreshSessions {
  private readonly logs = new Map<string, { lastSeq: number; log: AgentEventBody[] }>();

  remember(created: CreatedSession): void {
    this.logs.set(created.session.id, { lastSeq: created.lastSeq, log: created.log });
    if (this.logs.size > MAX_KEPT) {
      const oldest = this.logs.keys().next().value;
      if (oldest !== undefined) this.logs.delete(oldest);
    }
  }

  has(sessionId: string): boolean {
    return this.logs.has(sessionId);
  }

  /** The log of `record` if this replica created it and it is still as created. */
  take(record: SessionRecord): AgentEventBody[] | undefined {
    const kept = this.logs.get(record.id);
    if (kept === undefined) return undefined;
    this.logs.delete(record.id);
    return kept.lastSeq === record.lastSeq ? kept.log : undefined;
  }
}
