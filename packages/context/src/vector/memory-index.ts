import { normalize } from "../embed/port.js";
import type { Payload, VectorHit, VectorIndex, VectorItem } from "./port.js";

/** In-process exact search: vectors normalised once, scored by dot product. */
export class MemoryVectorIndex implements VectorIndex {
  private readonly items = new Map<string, { vector: Float32Array; payload?: Payload }>();

  async upsert(items: readonly VectorItem[]): Promise<void> {
    for (const item of items) {
      const entry: { vector: Float32Array; payload?: Payload } = {
        vector: normalize(Float32Array.from(item.vector)),
      };
      if (item.payload) entry.payload = item.payload;
      this.items.set(item.id, entry);
    }
  }

  async delete(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.items.delete(id);
  }

  async search(vector: Float32Array, limit: number, filter?: Payload): Promise<VectorHit[]> {
    const q = normalize(Float32Array.from(vector));
    const hits: VectorHit[] = [];
    for (const [id, item] of this.items) {
      if (filter && !matches(item.payload, filter)) continue;
      let dot = 0;
      for (let i = 0; i < q.length; i++) dot += (q[i] ?? 0) * (item.vector[i] ?? 0);
      const hit: VectorHit = { id, score: dot };
      if (item.payload) hit.payload = item.payload;
      hits.push(hit);
    }
    return hits.sort((a, b) => b.score - a.score).slice(0, limit);
  }

  async size(): Promise<number> {
    return this.items.size;
  }
}

function matches(payload: Payload | undefined, filter: Payload): boolean {
  return Object.entries(filter).every(([k, v]) => payload?.[k] === v);
}
