import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import { ConfigError, stringFromEnv } from "./config.js";

/**
 * A service's data folder: `name` in the environment when set (absolute),
 * else `<TOAD_DATA_DIR or ~/.local/share/toad>/<fallback>`.
 */
export function dataDirFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const given = stringFromEnv(env, name);
  if (given !== undefined) {
    if (!isAbsolute(given)) throw new ConfigError(`${name} must be an absolute path (got "${given}")`);
    return given;
  }
  const base = stringFromEnv(env, "TOAD_DATA_DIR") ?? join(env.HOME ?? homedir(), ".local", "share", "toad");
  return join(base, fallback);
}
