import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { type IndexProgress, IndexStore, indexRepository } from "@toad/context";
import * as pb from "@toad/proto";
import type { Headers } from "../bus/port.js";
import { invalidArgument, notFound } from "../errors.js";
import type { JobQueue, JobWorker } from "../jobs/port.js";
import type { KeyValueStore } from "../kv/port.js";
import type { ContextBackends } from "./context-backends.js";
import { checkout, repoDir } from "./repo-dirs.js";

/** One indexing job on the queue. */
export interface IndexJob {
  repoId: string;
  rootPath: string;
  gitUrl: string;
  commit: string;
}

export interface IndexerDeps {
  kv: KeyValueStore;
  queue: JobQueue<IndexJob>;
  /** Where indexes (and clones of git sources) live; the context service reads the same folder. */
  dataDir: string;
  /** Where the code graph and vectors are written after each index run; absent: neither is. */
  backends?: ContextBackends;
  now?: () => number;
}

/** Chunk ids per path, taken before a run re-indexes: the vectors of replaced chunks must go. */
function chunkIdsByPath(store: IndexStore, paths?: readonly string[]): Map<string, number[]> {
  const ids = new Map<string, number[]>();
  for (const chunk of paths ? paths.flatMap((p) => store.chunks(p)) : store.chunks()) {
    ids.set(chunk.path, [...(ids.get(chunk.path) ?? []), chunk.id]);
  }
  return ids;
}

/** The graph and vectors of what a run changed (everything on a first run). */
async function syncBackends(
  backends: ContextBackends | undefined,
  repoId: string,
  store: IndexStore,
  before: Map<string, number[]>,
  changed: readonly string[],
  firstRun: boolean,
): Promise<void> {
  if (!backends) return;
  if (firstRun) return backends.sync(repoId, store);
  if (changed.length === 0) return;
  await backends.sync(repoId, store, {
    paths: changed,
    staleChunkIds: changed.flatMap((p) => before.get(p) ?? []),
  });
}

const statusKey = (repoId: string) => `index-status:${repoId}`;
const sourceKey = (repoId: string) => `index-source:${repoId}`;

/** Where the index of a repository is, for the indexer (writer) and the context service (reader). */
export function indexPath(dataDir: string, repoId: string): string {
  return join(repoDir(dataDir, repoId), "index.sqlite");
}

/**
 * `toad.v1.IndexerService`: IndexRepo queues a job on the durable work queue
 * (any indexer replica takes it; a replica that dies mid-job leaves it to
 * another), status lives in the key-value store, and the index itself is the
 * context engine's (packages/context `indexRepository` into an `IndexStore`).
 */
export function createIndexerService(deps: IndexerDeps): pb.IndexerServiceImplementation & {
  /** Starts taking jobs off the queue in this process. */
  startWorker(concurrency?: number): Promise<JobWorker>;
} {
  const now = deps.now ?? Date.now;
  const save = (status: Partial<pb.IndexStatus> & { repoId: string }) =>
    deps.kv.set(
      statusKey(status.repoId),
      JSON.stringify(pb.IndexStatus.fromPartial({ ...status, updatedAtMs: now() })),
    );
  const load = async (repoId: string) => {
    const raw = await deps.kv.get(statusKey(repoId));
    return raw === undefined ? undefined : (JSON.parse(raw) as pb.IndexStatus);
  };
  const rootOf = (job: IndexJob) =>
    job.gitUrl === "" ? job.rootPath : join(repoDir(deps.dataDir, job.repoId), "checkout");

  async function runJob(job: IndexJob, signal: AbortSignal): Promise<void> {
    let commit = job.commit;
    if (job.gitUrl !== "") {
      const dir = rootOf(job);
      await rm(dir, { recursive: true, force: true });
      await mkdir(dirname(dir), { recursive: true });
      commit = await checkout(job.gitUrl, job.commit, dir, signal);
    }
    const path = indexPath(deps.dataDir, job.repoId);
    await mkdir(dirname(path), { recursive: true });
    const store = IndexStore.open(path);
    let lastSaved = 0;
    try {
      const firstRun = store.files().length === 0;
      const before = deps.backends && !firstRun ? chunkIdsByPath(store) : new Map<string, number[]>();
      const result = await indexRepository(rootOf(job), store, (progress: IndexProgress) => {
        // Progress is saved at most every half second: the KV is not a log.
        if (progress.phase !== "index" || now() - lastSaved < 500) return;
        lastSaved = now();
        void save({
          repoId: job.repoId,
          state: pb.IndexState.INDEX_STATE_RUNNING,
          filesTotal: progress.total,
          filesIndexed: progress.done,
          commit,
        });
      });
      await syncBackends(deps.backends, job.repoId, store, before, result.changed, firstRun);
      await save({
        repoId: job.repoId,
        state: pb.IndexState.INDEX_STATE_READY,
        filesTotal: result.files,
        filesIndexed: result.files,
        symbols: result.symbols,
        commit,
        error: result.errors.length > 0 ? `${result.errors.length} files could not be indexed` : "",
      });
    } finally {
      store.close();
    }
  }

  return {
    async indexRepo(request, context) {
      const sources = [request.rootPath !== "", request.gitUrl !== ""].filter(Boolean).length;
      if (request.repoId === "") throw invalidArgument("repo_id is required");
      if (sources !== 1) throw invalidArgument("give exactly one source: root_path, or git_url (and commit)");
      if (request.rootPath !== "" && resolve(request.rootPath) !== request.rootPath) {
        throw invalidArgument("root_path must be absolute and normalised");
      }
      await save({ repoId: request.repoId, state: pb.IndexState.INDEX_STATE_QUEUED, commit: request.commit });
      const job: IndexJob = {
        repoId: request.repoId,
        rootPath: request.rootPath,
        gitUrl: request.gitUrl,
        commit: request.commit,
      };
      await deps.kv.set(sourceKey(request.repoId), JSON.stringify(job));
      const traceparent = context.metadata.get("traceparent");
      const headers: Headers = traceparent === undefined ? {} : { traceparent };
      const jobId = await deps.queue.enqueue(job, { headers });
      return { jobId };
    },

    async getIndexStatus(request) {
      const status = await load(request.repoId);
      if (!status) throw notFound(`repository ${JSON.stringify(request.repoId)} was never indexed`);
      return status;
    },

    async updateFiles(request) {
      const status = await load(request.repoId);
      const source = await deps.kv.get(sourceKey(request.repoId));
      if (status?.state !== pb.IndexState.INDEX_STATE_READY || source === undefined) {
        throw notFound(`repository ${JSON.stringify(request.repoId)} has no ready index`);
      }
      const job = JSON.parse(source) as IndexJob;
      const root = rootOf(job);
      // A checkout the indexer owns takes the new content; a path it only reads was edited in place.
      for (const change of job.gitUrl === "" ? [] : request.changes) {
        const target = resolve(root, change.path);
        if (relative(root, target).startsWith(".."))
          throw invalidArgument(`${change.path} is outside the repository`);
        if (change.deleted) await rm(target, { force: true });
        else {
          await mkdir(dirname(target), { recursive: true });
          await writeFile(target, change.content);
        }
      }
      const store = IndexStore.open(indexPath(deps.dataDir, request.repoId));
      try {
        const paths = request.changes.map((c) => c.path);
        const before = deps.backends ? chunkIdsByPath(store, paths) : new Map<string, number[]>();
        const result = await indexRepository(root, store, () => {}, { paths });
        await syncBackends(deps.backends, request.repoId, store, before, result.changed, false);
        return { filesUpdated: result.indexed + result.removed, symbols: result.symbols };
      } finally {
        store.close();
      }
    },

    startWorker(concurrency = 1) {
      return deps.queue.work(
        async (job, context) => {
          await save({ repoId: job.repoId, state: pb.IndexState.INDEX_STATE_RUNNING, commit: job.commit });
          try {
            await runJob(job, context.signal);
            return { ok: true };
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            await save({ repoId: job.repoId, state: pb.IndexState.INDEX_STATE_FAILED, error: message });
            return { ok: false, retry: false, message };
          }
        },
        { concurrency },
      );
    },
  };
}
