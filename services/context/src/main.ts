import { jsonLogger, shutdownOnSignals } from "@toad/service-kit";
import { startContextServer } from "./server.js";

const logger = jsonLogger("context", process.env);
try {
  shutdownOnSignals(await startContextServer(process.env), logger);
} catch (error) {
  logger.error("could not start", { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
