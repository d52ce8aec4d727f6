import "reflect-metadata";
import { createServer } from "node:net";
import { Module } from "@nestjs/common";
import { NestFactory } from "@nestjs/core";
import type { MicroserviceOptions } from "@nestjs/microservices";
import { HealthImplementation } from "grpc-health-check";
import { GRPC_OPTIONS } from "./clients.js";
import { type DirectHandler, grpcController, type ServiceBinding } from "./controller.js";
import { DrainTracker } from "./drain.js";
import { defaultProtoDir, packageDefinitionFor } from "./grpc-definition.js";
import { KitGrpcServer } from "./grpc-server.js";
import type { Logger } from "./logger.js";
import { jsonLogger, nestLogger } from "./logger.js";
import { ServiceMetrics, startMetricsServer } from "./metrics.js";
import { setupTracing } from "./tracing.js";

export interface GrpcAppOptions {
  /** "session", "gateway", …: labels logs and metrics. */
  name: string;
  /** TOAD_GRPC_PORT; 0 picks a free port (tests). */
  port: number;
  host?: string;
  /** TOAD_METRICS_PORT; `undefined` serves no metrics (in-process tests). */
  metricsPort?: number;
  bindings: readonly ServiceBinding[];
  /** How long SIGTERM waits for work in progress (TOAD_DRAIN_TIMEOUT_MS). Default 25 s, inside Kubernetes' 30 s grace. */
  drainTimeoutMs?: number;
  /** The service's own drain (e.g. let agent runs end), given the deadline. */
  onDrain?: (deadlineMs: number) => Promise<void>;
  /** Releases what the service holds (stores, bus connections) after the server stopped. */
  onClose?: () => Promise<void>;
  protoDir?: string;
  logger?: Logger;
  /** Read for OTEL_EXPORTER_OTLP_ENDPOINT. Default: process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface RunningApp {
  port: number;
  metricsPort: number | undefined;
  metrics: ServiceMetrics;
  /** Graceful: NOT_SERVING, drain, stop the server, release resources. Idempotent. */
  shutdown(): Promise<void>;
}

/**
 * A NestJS gRPC microservice serving `bindings` on one port, with the gRPC
 * health protocol (grpc.health.v1.Health, overall "" and per service) on the
 * same port, Prometheus metrics on another, and a graceful drain.
 */
export async function startGrpcApp(options: GrpcAppOptions): Promise<RunningApp> {
  const logger = options.logger ?? jsonLogger(options.name);
  const metrics = new ServiceMetrics(options.name);
  const drain = new DrainTracker();
  const health = new HealthImplementation({
    "": "SERVING",
    ...Object.fromEntries(
      options.bindings.map((binding) => [binding.definition.fullName, "SERVING" as const]),
    ),
  });
  const tracing = setupTracing(options.name, options.env ?? process.env);
  const hooks = {
    drain,
    metrics,
    tracer: tracing.tracer,
    serverSpan: tracing.serverSpan,
    onInternalError: (where: string, error: unknown) =>
      logger.error(`${where} failed`, {
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  };
  class AppModule {}
  const direct = new Map<string, DirectHandler>();
  Module({ controllers: options.bindings.map((binding) => grpcController(binding, hooks, direct)) })(
    AppModule,
  );

  const port = options.port === 0 ? await freePort() : options.port;
  const host = options.host ?? "0.0.0.0";
  const grpcOptions = {
    package: "toad.v1",
    packageDefinition: packageDefinitionFor(
      options.bindings.map((binding) => binding.definition),
      options.protoDir ?? defaultProtoDir(),
    ),
    url: `${host}:${port}`,
    gracefulShutdown: true,
    channelOptions: GRPC_OPTIONS,
    onLoadPackageDefinition: (
      _definition: unknown,
      server: Parameters<HealthImplementation["addToServer"]>[0],
    ) => health.addToServer(server),
  };
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(AppModule, {
    strategy: new KitGrpcServer(grpcOptions as ConstructorParameters<typeof KitGrpcServer>[0], direct),
    logger: nestLogger(logger),
  });
  await app.listen();
  const metricsServer =
    options.metricsPort === undefined
      ? undefined
      : await startMetricsServer(metrics, options.metricsPort, () => !drain.isDraining);
  logger.info(`serving ${options.bindings.map((b) => b.definition.fullName).join(", ")}`, {
    port,
    metricsPort: metricsServer?.port,
  });

  let stopping: Promise<void> | undefined;
  return {
    port,
    metricsPort: metricsServer?.port,
    metrics,
    shutdown() {
      stopping ??= (async () => {
        const started = Date.now();
        health.setStatus("", "NOT_SERVING");
        for (const binding of options.bindings) health.setStatus(binding.definition.fullName, "NOT_SERVING");
        await drain.drain(options.drainTimeoutMs ?? 25_000, options.onDrain);
        await app.close();
        await options.onClose?.();
        await metricsServer?.close();
        await tracing.shutdown();
        logger.info("stopped", { drainedInMs: Date.now() - started });
      })();
      return stopping;
    },
  };
}

/** A port the OS considers free right now (for tests; production uses fixed ports). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** SIGTERM / SIGINT → graceful shutdown, then exit. A second signal exits at once. */
export function shutdownOnSignals(app: Pick<RunningApp, "shutdown">, logger: Logger): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(1);
    signalled = true;
    logger.info(`${signal}: draining`);
    app.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error("shutdown failed", { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
