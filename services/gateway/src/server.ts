import { jsonLogger, type RunningApp, serviceConfig, startGrpcApp } from "@toad/service-kit";
import { type GatewayParts, wireGateway } from "./wiring.js";

/** The gateway as a NestJS gRPC app, configured by `env`: the cluster's only public port. */
export async function startGatewayServer(
  env: NodeJS.ProcessEnv,
  parts: GatewayParts = {},
): Promise<RunningApp> {
  const config = serviceConfig(env, "gateway");
  const wiring = await wireGateway(env, parts);
  const app = await startGrpcApp({
    name: "gateway",
    port: config.grpcPort,
    metricsPort: config.metricsPort,
    drainTimeoutMs: config.drainTimeoutMs,
    bindings: wiring.bindings,
    onClose: wiring.close,
    logger: jsonLogger("gateway", env),
    env,
  });
  app.metrics.gaugeOf(
    "toad_gateway_session_starts",
    "Session starts in flight (running) and waiting for a slot (TOAD_GATEWAY_MAX_STARTS)",
    "state",
    () => wiring.admission.counts(),
  );
  return app;
}
