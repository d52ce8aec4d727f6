import type { IndexStore } from "../store/index-store.js";
import type { VectorIndex } from "../vector/port.js";
import { LsaEmbedder, type LsaOptions } from "./lsa.js";
import type { Embedder } from "./port.js";

/** Vector id of a stored chunk. */
export const chunkVectorId = (id: number): string => `chunk:${id}`;

/**
 * Embeds the stored chunks (all, or those of `paths`) into `vectors`, in
 * batches. Returns how many were written.
 */
export async function embedChunks(
  store: IndexStore,
  embedder: Embedder,
  vectors: VectorIndex,
  options: { paths?: readonly string[]; batchSize?: number } = {},
): Promise<number> {
  const chunks = options.paths ? options.paths.flatMap((p) => store.chunks(p)) : store.chunks();
  const size = options.batchSize ?? 128;
  for (let i = 0; i < chunks.length; i += size) {
    const batch = chunks.slice(i, i + size);
    const embedded = await embedder.embed(batch.map((c) => `${c.path}\n${c.symbol ?? ""}\n${c.text}`));
    await vectors.upsert(
      batch.map((c, j) => ({
        id: chunkVectorId(c.id),
        vector: embedded[j] ?? new Float32Array(embedder.dimensions),
        payload: { path: c.path },
      })),
    );
  }
  return chunks.length;
}

/** The embedded default's dense space: LSA fitted on this repository's chunks. */
export function buildRepoLsa(store: IndexStore, options?: LsaOptions): LsaEmbedder {
  return LsaEmbedder.build(
    store.chunks().map((c) => `${c.path}\n${c.symbol ?? ""}\n${c.text}`),
    options,
  );
}
