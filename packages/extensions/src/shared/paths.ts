import { readFile } from "node:fs/promises";
import { join } from "node:path";

export type Env = Readonly<Record<string, string | undefined>>;

/** Where a session's user and project extension files live. */
export interface ConfigPlaces {
  env: Env;
  /** os.homedir() in production; a temp dir in tests. */
  homeDir: string;
  /** The repository root; its `.toad/` holds the project's files. */
  projectDir: string;
}

/** `$TOAD_CONFIG_HOME`, else `$XDG_CONFIG_HOME/toad`, else `~/.config/toad` (as the models config). */
export function userConfigDir(env: Env, homeDir: string): string {
  if (env.TOAD_CONFIG_HOME) return env.TOAD_CONFIG_HOME;
  return join(env.XDG_CONFIG_HOME || join(homeDir, ".config"), "toad");
}

export function projectConfigDir(projectDir: string): string {
  return join(projectDir, ".toad");
}

/** User level first, project level second: later entries override earlier ones by name. */
export function configDirs(places: ConfigPlaces): { scope: "user" | "project"; dir: string }[] {
  return [
    { scope: "user", dir: userConfigDir(places.env, places.homeDir) },
    { scope: "project", dir: projectConfigDir(places.projectDir) },
  ];
}

/** A config problem the person can act on: which file, where in it, what is wrong. */
export interface ConfigProblem {
  file: string;
  message: string;
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((problem) => `${problem.file}: ${problem.message}`).join("\n");
}

/** The file's text, or undefined when it does not exist; other read errors are thrown. */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
}
