/** Reading the services' configuration from the environment (the chart sets it). */

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export const DEFAULT_PORTS = {
  gateway: 50051,
  session: 50052,
  router: 50053,
  context: 50054,
  indexer: 50055,
  sandbox: 50056,
} as const;

export const DEFAULT_METRICS_PORT = 9464;

export function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new ConfigError(`${name} must be an integer >= ${min} (got "${raw}")`);
  return value;
}

export function stringFromEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === "" ? undefined : raw;
}

export function requiredFromEnv(env: NodeJS.ProcessEnv, name: string, why: string): string {
  const value = stringFromEnv(env, name);
  if (value === undefined) throw new ConfigError(`${name} must be set: ${why}`);
  return value;
}

/** The common part of every service's configuration. */
export interface ServiceConfig {
  grpcPort: number;
  metricsPort: number;
  drainTimeoutMs: number;
}

export function serviceConfig(env: NodeJS.ProcessEnv, service: keyof typeof DEFAULT_PORTS): ServiceConfig {
  return {
    grpcPort: intFromEnv(env, "TOAD_GRPC_PORT", DEFAULT_PORTS[service]),
    metricsPort: intFromEnv(env, "TOAD_METRICS_PORT", DEFAULT_METRICS_PORT),
    drainTimeoutMs: intFromEnv(env, "TOAD_DRAIN_TIMEOUT_MS", 25_000),
  };
}
