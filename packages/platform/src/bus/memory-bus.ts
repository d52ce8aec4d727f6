import type { AgentEvent } from "@toad/core";
import type { Headers, RunCommand, RunReply, SessionBus, Unsubscribe } from "./port.js";

type Watcher = (event: AgentEvent, headers: Headers) => void;

/** The session bus inside one process: what the embedded wiring and `toad serve` use. */
export class MemorySessionBus implements SessionBus {
  private readonly watchers = new Map<string, Set<Watcher>>();
  private readonly runs = new Map<string, (command: RunCommand) => RunReply>();

  async publish(event: AgentEvent, headers: Headers = {}): Promise<void> {
    for (const watcher of this.watchers.get(event.sessionId) ?? []) watcher(event, headers);
  }

  async watch(sessionId: string, onEvent: Watcher): Promise<Unsubscribe> {
    const set = this.watchers.get(sessionId) ?? new Set<Watcher>();
    set.add(onEvent);
    this.watchers.set(sessionId, set);
    return async () => {
      set.delete(onEvent);
      if (set.size === 0) this.watchers.delete(sessionId);
    };
  }

  async serveRun(sessionId: string, handler: (command: RunCommand) => RunReply): Promise<Unsubscribe> {
    this.runs.set(sessionId, handler);
    return async () => {
      if (this.runs.get(sessionId) === handler) this.runs.delete(sessionId);
    };
  }

  async command(sessionId: string, command: RunCommand): Promise<RunReply | undefined> {
    return this.runs.get(sessionId)?.(command);
  }

  async close(): Promise<void> {
    this.watchers.clear();
    this.runs.clear();
  }
}
