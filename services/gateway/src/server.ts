import { jsonLogger, type RunningApp, serviceConfig, startGrpcApp } from "@toad/service-kit";
import { type GatewayParts, wireGateway } from "./wiring.js";

/** The gateway as a NestJS gRPC app, configured by `env`: the cluster's only public port. */
export async function startGatewayServer(
  env: NodeJS.ProcessEnv,
  parts: GatewayParts = {},
): Promise<RunningApp> {
  const config = serviceConfig(env, "gateway");
  const wiring = await wireGateway(env, parts);
  return startGrpcApp({
    name: "gateway",
    port: config.grpcPort,
    metricsPort: config.metricsPort,
    drainTimeoutMs: config.drainTimeoutMs,
    bindings: wiring.bindings,
    onClose: wiring.close,
    logger: jsonLogger("gateway", env),
    env,
  });
}
