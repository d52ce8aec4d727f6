import { useEffect, useState } from "react";
import { git } from "../commands/git.js";
import { parsePorcelain, type StatusEntry } from "../state/git-status.js";

/**
 * The working tree's changed files while `active`, read again whenever
 * `version` changes (a finished tool call, the end of a run), at most every
 * 300 ms. Outside a git repository the list stays empty.
 */
export function useGitStatus(cwd: string, active: boolean, version: number): StatusEntry[] | undefined {
  const [files, setFiles] = useState<StatusEntry[] | undefined>(undefined);
  useEffect(() => {
    if (!active || version < 0) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      void git(cwd, ["status", "--porcelain=v1", "--untracked-files=all"]).then((result) => {
        if (!cancelled) setFiles(result.ok ? parsePorcelain(result.stdout) : []);
      });
    }, 300);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [cwd, active, version]);
  return files;
}
