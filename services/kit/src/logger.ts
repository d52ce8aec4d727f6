import type { LoggerService } from "@nestjs/common";

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const LEVELS = ["info", "warn", "error"] as const;
type Level = (typeof LEVELS)[number];

/**
 * One JSON object per line on stderr: what a log collector in the cluster
 * reads. Lines below TOAD_LOG_LEVEL (info, warn, error; default info) are dropped.
 */
export function jsonLogger(
  service: string,
  env: NodeJS.ProcessEnv = process.env,
  write: (line: string) => void = (line) => process.stderr.write(line),
): Logger {
  const threshold = LEVELS.indexOf((env.TOAD_LOG_LEVEL ?? "info") as Level);
  const log =
    (level: Level) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (LEVELS.indexOf(level) < threshold) return;
      write(`${JSON.stringify({ time: new Date().toISOString(), level, service, message, ...fields })}\n`);
    };
  return { info: log("info"), warn: log("warn"), error: log("error") };
}

/** Nest's own logs through the same logger (bootstrap chatter below "warn" is dropped). */
export function nestLogger(logger: Logger): LoggerService {
  const text = (message: unknown) =>
    message instanceof Error ? (message.stack ?? message.message) : String(message);
  return {
    log: () => {},
    debug: () => {},
    verbose: () => {},
    warn: (message: unknown) => logger.warn(text(message)),
    error: (message: unknown, trace?: unknown) =>
      logger.error(text(message), trace === undefined ? {} : { trace: String(trace) }),
    fatal: (message: unknown) => logger.error(text(message)),
  };
}
