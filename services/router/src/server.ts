import { RouterServiceDefinition } from "@toad/proto";
import { jsonLogger, type RunningApp, serviceConfig, startGrpcApp } from "@toad/service-kit";
import { wireRouter } from "./wiring.js";

/** The router service as a NestJS gRPC app, configured by `env`. */
export async function startRouterServer(env: NodeJS.ProcessEnv): Promise<RunningApp> {
  const config = serviceConfig(env, "router");
  const wiring = await wireRouter(env);
  return startGrpcApp({
    name: "router",
    port: config.grpcPort,
    metricsPort: config.metricsPort,
    drainTimeoutMs: config.drainTimeoutMs,
    bindings: [{ definition: RouterServiceDefinition, implementation: wiring.implementation }],
    onClose: wiring.close,
    logger: jsonLogger("router", env),
    env,
  });
}
