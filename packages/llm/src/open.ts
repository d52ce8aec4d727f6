import { createModelClient, type LlmClient, type ModelClientOptions } from "./client.js";
import { type ConfigLocation, loadLlmConfig, type ReadText } from "./config/load.js";
import type { ConfigProblem } from "./config/validate.js";

// The one call a front end makes: read the config files, build the client.

export type OpenResult =
  | { ok: true; client: LlmClient; files: string[] }
  | { ok: false; problems: ConfigProblem[] };

export async function openModelClient(
  location: ConfigLocation,
  options: Omit<ModelClientOptions, "config" | "env"> = {},
  readText?: ReadText,
): Promise<OpenResult> {
  const loaded = await loadLlmConfig(location, readText);
  if (!loaded.ok) return loaded;
  return {
    ok: true,
    client: createModelClient({ ...options, config: loaded.config, env: location.env }),
    files: loaded.files,
  };
}
