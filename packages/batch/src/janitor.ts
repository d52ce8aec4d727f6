import { removeWorkspace } from "./workspace.js";

/**
 * Removes finished workspaces in the background: deleting a large checkout
 * takes longer than making it, and no worker should wait for it. `drain`
 * waits for every removal started so far.
 */
export class Janitor {
  private readonly pending = new Set<Promise<void>>();

  remove(dir: string): void {
    const removal = removeWorkspace(dir)
      .catch(() => {
        // A leftover workspace is reclaimed by the next run over the same folder.
      })
      .finally(() => this.pending.delete(removal));
    this.pending.add(removal);
  }

  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
