import { execFile } from "node:child_process";

/** Runs git in `cwd`; resolves with stdout, or an error message (never rejects). */
export function git(
  cwd: string,
  args: string[],
): Promise<{ ok: true; stdout: string } | { ok: false; message: string }> {
  return new Promise((resolve) => {
    execFile("git", args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) resolve({ ok: false, message: (stderr || error.message).trim() });
      else resolve({ ok: true, stdout });
    });
  });
}

/** The working tree's changes against HEAD (or the index when there is no commit yet), untracked files too. */
export async function workingTreeDiff(
  cwd: string,
): Promise<{ diff: string; untracked: string[] } | { error: string }> {
  const head = await git(cwd, ["--no-pager", "diff", "--no-color", "--no-ext-diff", "HEAD"]);
  const diff = head.ok ? head : await git(cwd, ["--no-pager", "diff", "--no-color", "--no-ext-diff"]);
  if (!diff.ok) return { error: diff.message };
  const others = await git(cwd, ["ls-files", "--others", "--exclude-standard"]);
  const untracked = others.ok ? others.stdout.split("\n").filter((line) => line !== "") : [];
  return { diff: diff.stdout, untracked };
}
