import path from "node:path";
import { localDirReader } from "./fs/local-dir.js";
import { RG_WALK_FLAGS, runRipgrep, type SearchEngine } from "./ripgrep.js";
import { type WalkResult, walkFiles } from "./walk.js";

/** Files under a workspace directory, .gitignore-aware, by ripgrep when present, else the JS walker. */
export async function listFiles(
  engine: SearchEngine,
  root: string,
  dirRel: string,
  maxFiles: number,
  signal?: AbortSignal,
): Promise<WalkResult> {
  if (engine.kind === "js") return walkFiles(localDirReader(root), dirRel, maxFiles, signal);
  const prefix = dirRel === "." || dirRel === "" ? "" : `${dirRel}/`;
  const files: string[] = [];
  const run = await runRipgrep(
    engine.path,
    ["--files", ...RG_WALK_FLAGS],
    path.join(root, dirRel),
    (line) => {
      if (files.length >= maxFiles) return false;
      files.push(prefix + line);
      return true;
    },
    signal,
  );
  return { files, truncated: run.stopped };
}
