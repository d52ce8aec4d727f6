import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { type MockScript, parseScript } from "./script.js";

/**
 * Reads a MockScript from a JSON file. Relative `replay` paths are resolved
 * against the script file's folder, so a script and its fixtures can move together.
 */
export async function loadScript(path: string): Promise<MockScript> {
  const text = await readFile(path, "utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: not valid JSON: ${(err as Error).message}`);
  }
  const script = parseScript(json);
  const base = dirname(resolve(path));
  return {
    turns: script.turns.map((turn) =>
      turn.replay !== undefined && !isAbsolute(turn.replay)
        ? { ...turn, replay: resolve(base, turn.replay) }
        : turn,
    ),
  };
}
