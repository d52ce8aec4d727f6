export type Payload = Record<string, string | number>;

export interface VectorItem {
  id: string;
  vector: Float32Array;
  payload?: Payload;
}

export interface VectorHit {
  id: string;
  /** Cosine similarity. */
  score: number;
  payload?: Payload;
}

/** Stores vectors by id and finds the nearest by cosine. Embedded: `MemoryVectorIndex`; cluster: `QdrantVectorIndex`. */
export interface VectorIndex {
  upsert(items: readonly VectorItem[]): Promise<void>;
  delete(ids: readonly string[]): Promise<void>;
  /** `filter` keeps hits whose payload has exactly these values. */
  search(vector: Float32Array, limit: number, filter?: Payload): Promise<VectorHit[]>;
  size(): Promise<number>;
}
