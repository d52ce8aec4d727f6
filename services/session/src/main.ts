import { jsonLogger, shutdownOnSignals } from "@toad/service-kit";
import { startSessionServer } from "./server.js";

const logger = jsonLogger("session", process.env);
try {
  if (process.env.TOAD_WORKER === "batch") {
    // The chart's batch-worker Job: this image takes batch instance jobs instead of serving gRPC.
    const { startBatchWorkerProcess } = await import("./batch-worker.js");
    const worker = await startBatchWorkerProcess(process.env, jsonLogger("batch-worker", process.env));
    shutdownOnSignals({ shutdown: () => worker.shutdown() }, logger);
  } else {
    shutdownOnSignals(await startSessionServer(process.env), logger);
  }
} catch (error) {
  logger.error("could not start", { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
