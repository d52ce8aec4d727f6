import type { SessionService } from "@toad/platform";
import { SessionServiceDefinition } from "@toad/proto";
import {
  intFromEnv,
  jsonLogger,
  type Logger,
  type RunningApp,
  serviceConfig,
  startGrpcApp,
} from "@toad/service-kit";
import { type SessionParts, wireSession } from "./wiring.js";

/** The session service as a NestJS gRPC app, configured by `env`. */
export async function startSessionServer(
  env: NodeJS.ProcessEnv,
  parts: SessionParts = {},
): Promise<RunningApp> {
  const config = serviceConfig(env, "session");
  const logger = jsonLogger("session", env);
  const wiring = await wireSession(env, parts);
  const recovery = recoverPeriodically(
    wiring.service,
    intFromEnv(env, "TOAD_RUN_RECOVERY_INTERVAL_MS", 10_000, 100),
    logger,
  );
  return startGrpcApp({
    name: "session",
    port: config.grpcPort,
    metricsPort: config.metricsPort,
    drainTimeoutMs: config.drainTimeoutMs,
    bindings: [
      { definition: SessionServiceDefinition, implementation: wiring.service, followers: ["resume"] },
    ],
    // Runs get the drain deadline to finish their turn; the rest stay recorded for another replica.
    onDrain: async (deadlineMs) => {
      recovery.stop();
      await wiring.service.drain(deadlineMs);
    },
    onClose: wiring.close,
    logger,
    env,
  });
}

/**
 * Looks for runs a killed replica left behind: at once (this replica may be
 * the killed one, restarted) and then every `intervalMs` (another replica died).
 */
export function recoverPeriodically(
  service: SessionService,
  intervalMs: number,
  logger: Logger,
): { stop(): void } {
  let running = false;
  const pass = () => {
    if (running) return;
    running = true;
    service
      .recover()
      .then(
        (count) => {
          if (count > 0) logger.warn(`recovered ${count} interrupted run(s)`);
        },
        (error: unknown) => logger.error("run recovery failed", { error: String(error) }),
      )
      .finally(() => {
        running = false;
      });
  };
  pass();
  const timer = setInterval(pass, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
