import { formatDuration, formatUsd } from "./summary.js";
import type { InstanceResult } from "./types.js";

export interface ProgressSnapshot {
  total: number;
  done: number;
  running: number;
  empty: number;
  errors: number;
  costUsd: number;
  /** Estimated time to the end, from this invocation's pace; absent until an instance ends. */
  etaMs?: number;
  /** The instance that just ended, when the snapshot follows one. */
  last?: { instanceId: string; status: string; exit?: string; empty: boolean };
}

/** Counts for the live progress line; instances finished by earlier invocations count as done. */
export class ProgressTracker {
  private done = 0;
  private doneThisRun = 0;
  private running = 0;
  private empty = 0;
  private errors = 0;
  private costUsd = 0;
  private readonly startedAt: number;

  constructor(
    private readonly total: number,
    earlier: readonly InstanceResult[],
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
    for (const result of earlier) this.count(result);
  }

  started(): ProgressSnapshot {
    this.running++;
    return this.snapshot();
  }

  /** An instance was stopped with the batch: no longer running, not done. */
  abandoned(): ProgressSnapshot {
    this.running--;
    return this.snapshot();
  }

  finished(result: InstanceResult): ProgressSnapshot {
    this.running--;
    this.doneThisRun++;
    this.count(result);
    return {
      ...this.snapshot(),
      last: {
        instanceId: result.instance_id,
        status: result.status,
        ...(result.exit !== undefined && { exit: result.exit }),
        empty: result.patch.trim() === "",
      },
    };
  }

  snapshot(): ProgressSnapshot {
    const remaining = this.total - this.done;
    const elapsed = this.now() - this.startedAt;
    const snapshot: ProgressSnapshot = {
      total: this.total,
      done: this.done,
      running: this.running,
      empty: this.empty,
      errors: this.errors,
      costUsd: this.costUsd,
    };
    if (this.doneThisRun > 0) snapshot.etaMs = Math.round((elapsed / this.doneThisRun) * remaining);
    return snapshot;
  }

  private count(result: InstanceResult): void {
    this.done++;
    if (result.patch.trim() === "") this.empty++;
    if (result.status === "error") this.errors++;
    this.costUsd += result.costUsd;
  }
}

/** One line: `12/24 done · 2 running · 1 empty · 0 errors · $0.4210 · ETA 3m10s`. */
export function formatProgressLine(snapshot: ProgressSnapshot): string {
  const parts = [
    `${snapshot.done}/${snapshot.total} done`,
    `${snapshot.running} running`,
    `${snapshot.empty} empty`,
    `${snapshot.errors} error${snapshot.errors === 1 ? "" : "s"}`,
    formatUsd(snapshot.costUsd),
    `ETA ${snapshot.etaMs === undefined ? "?" : formatDuration(snapshot.etaMs)}`,
  ];
  return parts.join(" · ");
}
