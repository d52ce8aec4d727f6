import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import type { SessionStore, StoreDeps } from "../../src/index.js";

/** Builds a fresh, empty store of one adapter; the contract suites run against each. */
export type StoreFactory = (deps: StoreDeps) => Promise<SessionStore>;

/** A clock the test moves by hand. */
export interface TestClock {
  now: () => number;
  set(at: number): void;
}

export function testClock(start = 1_700_000_000_000): TestClock {
  let at = start;
  return {
    now: () => at,
    set: (next) => {
      at = next;
    },
  };
}

/** Temp directories and stores that are removed and closed after each test. */
export function useCleanup(): {
  tempDir(prefix?: string): Promise<string>;
  track(store: SessionStore): SessionStore;
} {
  const dirs: string[] = [];
  const stores: SessionStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return {
    async tempDir(prefix = "toad-store-") {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
    track(store) {
      stores.push(store);
      return store;
    },
  };
}
