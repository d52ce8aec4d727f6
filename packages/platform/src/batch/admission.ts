/**
 * The per-org limit on batch instances in flight (queued for a worker or
 * running): `acquire` resolves when the org has a free slot, so instances
 * over the limit wait their turn instead of failing. Shared by every run
 * an org submits through this gateway replica; with several replicas each
 * holds its own count.
 */
export class OrgAdmission {
  private readonly inFlight = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(private readonly limitFor: (orgId: string) => number) {}

  /** Instances of the org in flight now. */
  running(orgId: string): number {
    return this.inFlight.get(orgId) ?? 0;
  }

  /**
   * Waits for a slot and takes it; the returned function gives it back (once,
   * however often it is called). Rejects when `signal` aborts first.
   */
  async acquire(orgId: string, signal: AbortSignal): Promise<() => void> {
    while (this.running(orgId) >= Math.max(1, this.limitFor(orgId))) {
      signal.throwIfAborted();
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal.removeEventListener("abort", wake);
          const queue = this.waiting.get(orgId) ?? [];
          const index = queue.indexOf(wake);
          if (index >= 0) queue.splice(index, 1);
          resolve();
        };
        const queue = this.waiting.get(orgId) ?? [];
        queue.push(wake);
        this.waiting.set(orgId, queue);
        signal.addEventListener("abort", wake, { once: true });
      });
    }
    signal.throwIfAborted();
    this.inFlight.set(orgId, this.running(orgId) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = this.running(orgId) - 1;
      if (left > 0) this.inFlight.set(orgId, left);
      else this.inFlight.delete(orgId);
      this.waiting.get(orgId)?.[0]?.();
    };
  }
}
