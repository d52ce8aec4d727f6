import { jsonLogger, shutdownOnSignals } from "@toad/service-kit";
import { startSessionServer } from "./server.js";

const logger = jsonLogger("session", process.env);
try {
  shutdownOnSignals(await startSessionServer(process.env), logger);
} catch (error) {
  logger.error("could not start", { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
