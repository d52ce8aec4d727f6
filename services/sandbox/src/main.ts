import { jsonLogger, shutdownOnSignals } from "@toad/service-kit";
import { startSandboxServer } from "./server.js";

const logger = jsonLogger("sandbox", process.env);
try {
  shutdownOnSignals(await startSandboxServer(process.env), logger);
} catch (error) {
  logger.error("could not start", { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
