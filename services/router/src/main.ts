import { jsonLogger, shutdownOnSignals } from "@toad/service-kit";
import { startRouterServer } from "./server.js";

const logger = jsonLogger("router", process.env);
try {
  shutdownOnSignals(await startRouterServer(process.env), logger);
} catch (error) {
  logger.error("could not start", { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
