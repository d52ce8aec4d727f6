import { jsonLogger, shutdownOnSignals } from "@toad/service-kit";
import { startIndexerServer } from "./server.js";

const logger = jsonLogger("indexer", process.env);
try {
  shutdownOnSignals(await startIndexerServer(process.env), logger);
} catch (error) {
  logger.error("could not start", { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
