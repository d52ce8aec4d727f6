// `toad batch` on the cluster: the worker that takes instance jobs, and the
// client that submits a run through the gateway and records its results.
export { type RemoteBatchOptions, runRemoteBatch } from "./remote-batch.js";
export { type BatchWorkerOptions, startBatchWorker } from "./worker.js";
