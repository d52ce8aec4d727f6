import { jsonLogger, shutdownOnSignals } from "@toad/service-kit";
import { startGatewayServer } from "./server.js";

const logger = jsonLogger("gateway", process.env);
try {
  shutdownOnSignals(await startGatewayServer(process.env), logger);
} catch (error) {
  logger.error("could not start", { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
