// @toad/service-kit: what every TOAD NestJS service shares.
export { freePort, type GrpcAppOptions, type RunningApp, shutdownOnSignals, startGrpcApp } from "./app.js";
export { callContext, toNiceMetadata } from "./call-context.js";
export { upstreamClient } from "./clients.js";
export {
  ConfigError,
  DEFAULT_METRICS_PORT,
  DEFAULT_PORTS,
  intFromEnv,
  requiredFromEnv,
  type ServiceConfig,
  serviceConfig,
  stringFromEnv,
} from "./config.js";
export { type ControllerHooks, grpcController, type ServiceBinding, toStatus } from "./controller.js";
export { dataDirFromEnv } from "./data-dir.js";
export { DrainTracker, SHUTTING_DOWN } from "./drain.js";
export {
  ContractMismatchError,
  defaultProtoDir,
  packageDefinitionFor,
  type ServiceShape,
} from "./grpc-definition.js";
export { jsonLogger, type Logger } from "./logger.js";
export { ServiceMetrics, startMetricsServer } from "./metrics.js";
export { rawUpstreamClient } from "./raw-client.js";
export {
  carryTraceContext,
  type ServerSpans,
  setupTracing,
  startServerSpan,
  type Tracing,
  traceIdOf,
} from "./tracing.js";
