import { createHash } from "node:crypto";
import { QdrantClient } from "@qdrant/js-client-rest";
import type { Payload, VectorHit, VectorIndex, VectorItem } from "./port.js";

export interface QdrantIndexOptions {
  /** Default http://127.0.0.1:6333. */
  url?: string;
  apiKey?: string;
  collection: string;
  dimensions: number;
}

/** Qdrant wants unsigned integers or UUIDs as point ids: derive a UUID from our string id. */
export function pointId(id: string): string {
  const h = createHash("sha1").update(id).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The vector index on Qdrant (cluster wiring). The original id travels in the payload as `_id`. */
export class QdrantVectorIndex implements VectorIndex {
  private constructor(
    private readonly client: QdrantClient,
    private readonly collection: string,
  ) {}

  static async connect(options: QdrantIndexOptions): Promise<QdrantVectorIndex> {
    const client = new QdrantClient({
      url: options.url ?? "http://127.0.0.1:6333",
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
      checkCompatibility: false,
    });
    const { exists } = await client.collectionExists(options.collection);
    if (!exists) {
      await client.createCollection(options.collection, {
        vectors: { size: options.dimensions, distance: "Cosine" },
      });
    }
    return new QdrantVectorIndex(client, options.collection);
  }

  async upsert(items: readonly VectorItem[]): Promise<void> {
    if (items.length === 0) return;
    await this.client.upsert(this.collection, {
      wait: true,
      points: items.map((item) => ({
        id: pointId(item.id),
        vector: Array.from(item.vector),
        payload: { ...(item.payload ?? {}), _id: item.id },
      })),
    });
  }

  async delete(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.client.delete(this.collection, { wait: true, points: ids.map(pointId) });
  }

  async search(vector: Float32Array, limit: number, filter?: Payload): Promise<VectorHit[]> {
    const hits = await this.client.search(this.collection, {
      vector: Array.from(vector),
      limit,
      with_payload: true,
      ...(filter
        ? { filter: { must: Object.entries(filter).map(([key, value]) => ({ key, match: { value } })) } }
        : {}),
    });
    return hits.map((h) => {
      const { _id, ...payload } = (h.payload ?? {}) as Payload;
      return { id: String(_id ?? h.id), score: h.score, payload };
    });
  }

  async size(): Promise<number> {
    const { count } = await this.client.count(this.collection, { exact: true });
    return count;
  }
}
