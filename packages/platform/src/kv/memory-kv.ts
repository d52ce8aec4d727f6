import type { KeyValueStore } from "./port.js";

/** The key-value port in process memory: nothing survives the process. */
export class MemoryKeyValueStore implements KeyValueStore {
  private readonly strings = new Map<string, string>();
  private readonly sets = new Map<string, Set<string>>();
  private readonly hashes = new Map<string, Map<string, number>>();
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(key: string): Promise<string | undefined> {
    return this.strings.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    this.strings.set(key, value);
  }

  async setIfAbsent(key: string, value: string): Promise<boolean> {
    if (this.strings.has(key)) return false;
    this.strings.set(key, value);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.strings.delete(key);
    this.sets.delete(key);
    this.hashes.delete(key);
  }

  async addToSet(key: string, member: string): Promise<void> {
    const set = this.sets.get(key) ?? new Set<string>();
    set.add(member);
    this.sets.set(key, set);
  }

  async removeFromSet(key: string, member: string): Promise<void> {
    this.sets.get(key)?.delete(member);
  }

  async members(key: string): Promise<string[]> {
    return [...(this.sets.get(key) ?? [])];
  }

  async incrementFields(key: string, deltas: Readonly<Record<string, number>>): Promise<void> {
    const hash = this.hashes.get(key) ?? new Map<string, number>();
    for (const [field, delta] of Object.entries(deltas)) hash.set(field, (hash.get(field) ?? 0) + delta);
    this.hashes.set(key, hash);
  }

  async fields(key: string): Promise<Record<string, number>> {
    return Object.fromEntries(this.hashes.get(key) ?? []);
  }

  async hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }> {
    const at = this.now();
    let window = this.windows.get(key);
    if (window === undefined || window.endsAt <= at) {
      window = { count: 0, endsAt: at + windowMs };
      this.windows.set(key, window);
      // Windows that ended are dead weight: sweep them now and then.
      if (this.windows.size > 10_000) {
        for (const [other, { endsAt }] of this.windows) if (endsAt <= at) this.windows.delete(other);
      }
    }
    window.count++;
    return { count: window.count, resetInMs: window.endsAt - at };
  }

  async close(): Promise<void> {}
}
