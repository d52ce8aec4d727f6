import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import {
  type CodeGraph,
  chunkVectorId,
  type Embedder,
  embedChunks,
  FalkorCodeGraph,
  HashingEmbedder,
  type IndexStore,
  MemoryVectorIndex,
  QdrantVectorIndex,
  type SearchOptions,
  SqliteCodeGraph,
  syncCodeGraph,
  type VectorIndex,
} from "@toad/context";

/**
 * Where the context engine keeps its dense vectors and its code graph.
 * QDRANT_URL set: Qdrant; else vectors in this process's memory, built from
 * the index on first use. FALKORDB_URL set: FalkorDB; else the graph in the
 * index's own SQLite file. The indexer writes through these at index time,
 * the context service reads through them at query time.
 */
export interface ContextBackendConfig {
  vector: { kind: "embedded" } | { kind: "qdrant"; url: string; apiKey?: string };
  graph: { kind: "embedded" } | { kind: "falkordb"; url: string };
}

/** A QDRANT_URL or FALKORDB_URL that cannot be used: thrown at start, naming the variable. */
export class ContextBackendError extends Error {
  override readonly name = "ContextBackendError";
}

function checkedUrl(name: string, raw: string, protocols: readonly string[], example: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ContextBackendError(`${name} is not a URL: ${JSON.stringify(raw)} (expected e.g. ${example})`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ContextBackendError(
      `${name} must use ${protocols.map((p) => `${p}//`).join(" or ")}, got ${JSON.stringify(raw)} (e.g. ${example})`,
    );
  }
  if (url.hostname === "") throw new ContextBackendError(`${name} has no host: ${JSON.stringify(raw)}`);
  return raw;
}

/** Reads QDRANT_URL (+ QDRANT_API_KEY) and FALKORDB_URL; unset or empty means embedded. */
export function contextBackendsFromEnv(env: NodeJS.ProcessEnv): ContextBackendConfig {
  const qdrant = env.QDRANT_URL?.trim();
  const falkor = env.FALKORDB_URL?.trim();
  const apiKey = env.QDRANT_API_KEY?.trim();
  return {
    vector: qdrant
      ? {
          kind: "qdrant",
          url: checkedUrl("QDRANT_URL", qdrant, ["http:", "https:"], "http://qdrant:6333"),
          ...(apiKey && { apiKey }),
        }
      : { kind: "embedded" },
    graph: falkor
      ? {
          kind: "falkordb",
          url: checkedUrl(
            "FALKORDB_URL",
            falkor,
            ["redis:", "rediss:", "falkor:", "falkors:"],
            "redis://falkordb:6379",
          ),
        }
      : { kind: "embedded" },
  };
}

/** One name per repository in Qdrant and FalkorDB (ids may hold any character). */
const backendName = (repoId: string) =>
  `toad-${createHash("sha256").update(repoId).digest("hex").slice(0, 24)}`;

/** What the indexer writes and the context service reads, per repository. */
export interface ContextBackends {
  readonly config: ContextBackendConfig;
  /**
   * After indexing: writes the graph slices and vectors of `paths` (all when
   * absent); `staleChunkIds` are the chunks those paths had before, whose vectors go.
   */
  sync(
    repoId: string,
    store: IndexStore,
    change?: { paths: readonly string[]; staleChunkIds: readonly number[] },
  ): Promise<void>;
  /** Dense retrieval and graph expansion for a search over `store` (the index at `indexFile`). */
  searchOptions(
    repoId: string,
    store: IndexStore,
    indexFile: string,
  ): Promise<Pick<SearchOptions, "embedder" | "vectors" | "graph">>;
  close(): Promise<void>;
}

/** The embedder of both ends: no model to ship or download, identical in every process. */
const EMBEDDER: Embedder = new HashingEmbedder(512);

/** The index file's identity on disk: a rebuilt or updated index (WAL included) gets new in-memory vectors. */
function indexVersion(indexFile: string): string {
  const stamp = (file: string) => {
    try {
      const s = statSync(file);
      return `${s.mtimeMs}:${s.size}`;
    } catch {
      return "-";
    }
  };
  return `${stamp(indexFile)}|${stamp(`${indexFile}-wal`)}`;
}

/** Backends per the config; servers are connected on first use, once per repository. */
export function openContextBackends(config: ContextBackendConfig): ContextBackends {
  const qdrant = new Map<string, Promise<QdrantVectorIndex>>();
  const falkor = new Map<string, Promise<FalkorCodeGraph>>();
  const memory = new Map<string, { version: string; index: Promise<MemoryVectorIndex> }>();

  function remoteVectors(repoId: string): Promise<VectorIndex> | undefined {
    const vector = config.vector;
    if (vector.kind !== "qdrant") return undefined;
    let index = qdrant.get(repoId);
    if (!index) {
      index = QdrantVectorIndex.connect({
        url: vector.url,
        ...(vector.apiKey && { apiKey: vector.apiKey }),
        collection: backendName(repoId),
        dimensions: EMBEDDER.dimensions,
      });
      // A failed connection is retried on the next call instead of being cached.
      index.catch(() => qdrant.delete(repoId));
      qdrant.set(repoId, index);
    }
    return index;
  }

  function graphOf(repoId: string, store: IndexStore): Promise<CodeGraph> {
    const graph = config.graph;
    if (graph.kind === "embedded") return Promise.resolve(new SqliteCodeGraph(store.db));
    let remote = falkor.get(repoId);
    if (!remote) {
      remote = FalkorCodeGraph.connect({ url: graph.url, graph: backendName(repoId) });
      remote.catch(() => falkor.delete(repoId));
      falkor.set(repoId, remote);
    }
    return remote;
  }

  async function embeddedVectors(repoId: string, store: IndexStore, indexFile: string): Promise<VectorIndex> {
    const version = indexVersion(indexFile);
    const cached = memory.get(repoId);
    if (cached?.version === version) return cached.index;
    const index = (async () => {
      const vectors = new MemoryVectorIndex();
      await embedChunks(store, EMBEDDER, vectors);
      return vectors;
    })();
    memory.set(repoId, { version, index });
    return index;
  }

  return {
    config,
    async sync(repoId, store, change) {
      await syncCodeGraph(store, await graphOf(repoId, store), change?.paths);
      const vectors = await remoteVectors(repoId);
      if (!vectors) return; // embedded vectors are built by the reader, from the index
      if (change) await vectors.delete(change.staleChunkIds.map(chunkVectorId));
      await embedChunks(store, EMBEDDER, vectors, change ? { paths: change.paths } : {});
    },
    async searchOptions(repoId, store, indexFile) {
      const vectors = (await remoteVectors(repoId)) ?? (await embeddedVectors(repoId, store, indexFile));
      return { embedder: EMBEDDER, vectors, graph: await graphOf(repoId, store) };
    },
    async close() {
      const graphs = await Promise.allSettled(falkor.values());
      for (const graph of graphs) if (graph.status === "fulfilled") await graph.value.close();
      falkor.clear();
      qdrant.clear();
      memory.clear();
    },
  };
}
