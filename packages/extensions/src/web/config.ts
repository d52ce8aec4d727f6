import { join } from "node:path";
import { isRecord } from "../shared/json.js";
import { type ConfigPlaces, type ConfigProblem, configDirs, readIfExists } from "../shared/paths.js";

export interface WebConfig {
  /** Absent: on, except in sandboxed runs. */
  enabled?: boolean;
  allowedDomains?: string[];
}

/**
 * `web.json` at user and project level: `{ "enabled": true, "allowedDomains": ["docs.python.org"] }`.
 * The project's `enabled` wins; allowed domains add up.
 */
export async function loadWebConfig(
  places: ConfigPlaces,
): Promise<{ config: WebConfig; problems: ConfigProblem[] }> {
  const config: WebConfig = {};
  const problems: ConfigProblem[] = [];
  for (const { dir } of configDirs(places)) {
    const file = join(dir, "web.json");
    let raw: unknown;
    try {
      const text = await readIfExists(file);
      if (text === undefined) continue;
      raw = JSON.parse(text);
    } catch (error) {
      problems.push({ file, message: `cannot be read: ${(error as Error).message}` });
      continue;
    }
    if (!isRecord(raw)) {
      problems.push({ file, message: 'expected { "enabled"?: boolean, "allowedDomains"?: [string] }' });
      continue;
    }
    if (raw.enabled !== undefined && typeof raw.enabled !== "boolean") {
      problems.push({ file, message: '"enabled" must be true or false' });
      continue;
    }
    const domains = raw.allowedDomains;
    if (
      domains !== undefined &&
      !(Array.isArray(domains) && domains.every((d) => typeof d === "string" && d !== ""))
    ) {
      problems.push({ file, message: '"allowedDomains" must be a list of host names' });
      continue;
    }
    if (raw.enabled !== undefined) config.enabled = raw.enabled;
    if (domains) config.allowedDomains = [...(config.allowedDomains ?? []), ...(domains as string[])];
  }
  return { config, problems };
}
