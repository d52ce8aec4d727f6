// Batch runs on the cluster: the job and result formats, the results stream,
// the per-org admission and the gateway's BatchService.
export { OrgAdmission } from "./admission.js";
export { type BatchServiceDeps, createBatchService, unavailableBatchService } from "./batch-service.js";
export {
  BATCH_RESULTS_STREAM,
  NatsBatchResults,
  type NatsBatchResultsOptions,
  type PublishOutcome,
} from "./nats-results.js";
export { type BatchLimits, openBatchService, parseOrgLimits } from "./open.js";
export * from "./types.js";
