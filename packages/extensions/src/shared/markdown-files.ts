import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { type ConfigPlaces, type ConfigProblem, configDirs, readIfExists } from "./paths.js";

export interface FoundFile {
  scope: "user" | "project";
  /** The file name without `.md`. */
  stem: string;
  path: string;
  text: string;
}

/**
 * The `*.md` files of `<config dir>/<folder>/` at user then project level
 * (so project files, read last, win on a name clash). A folder that does not
 * exist is fine; one that cannot be read is a problem.
 */
export async function findMarkdownFiles(
  places: ConfigPlaces,
  folder: string,
): Promise<{ files: FoundFile[]; problems: ConfigProblem[] }> {
  const files: FoundFile[] = [];
  const problems: ConfigProblem[] = [];
  for (const { scope, dir } of configDirs(places)) {
    const root = join(dir, folder);
    let names: string[];
    try {
      names = (await readdir(root)).filter((name) => name.endsWith(".md")).sort();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR")
        problems.push({ file: root, message: (error as Error).message });
      continue;
    }
    for (const name of names) {
      const path = join(root, name);
      const text = await readIfExists(path);
      if (text !== undefined) files.push({ scope, stem: name.slice(0, -3), path, text });
    }
  }
  return { files, problems };
}

/** Subfolders of `<config dir>/<folder>/` holding `file` (skills: `skills/<name>/SKILL.md`). */
export async function findFolderFiles(
  places: ConfigPlaces,
  folder: string,
  file: string,
): Promise<{ files: (FoundFile & { dir: string })[]; problems: ConfigProblem[] }> {
  const files: (FoundFile & { dir: string })[] = [];
  const problems: ConfigProblem[] = [];
  for (const { scope, dir } of configDirs(places)) {
    const root = join(dir, folder);
    let entries: { name: string; isDirectory(): boolean }[];
    try {
      entries = await readdir(root, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR")
        problems.push({ file: root, message: (error as Error).message });
      continue;
    }
    for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
      const skillDir = join(root, entry.name);
      const path = join(skillDir, file);
      const text = await readIfExists(path);
      if (text !== undefined) files.push({ scope, stem: entry.name, path, text, dir: skillDir });
    }
  }
  return { files, problems };
}
