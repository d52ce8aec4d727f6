import { readdir, readFile, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import { git } from "../commands/git.js";
import { attachFiles } from "../state/attachments.js";

const MAX_FILES = 20_000;
const MAX_ATTACHMENT_BYTES = 256 * 1024;
const SKIP = new Set([".git", "node_modules", "dist", ".turbo", "target", "build", ".venv", "__pycache__"]);

/** The files an `@` mention can pick: git's view (tracked + untracked, ignores honoured), else a bounded walk. */
export async function listFiles(cwd: string): Promise<string[]> {
  const listed = await git(cwd, ["ls-files", "--cached", "--others", "--exclude-standard"]);
  if (listed.ok) {
    return [...new Set(listed.stdout.split("\n").filter((line) => line !== ""))].slice(0, MAX_FILES);
  }
  const files: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 8 || files.length >= MAX_FILES) return;
    let entries: import("node:fs").Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (files.length >= MAX_FILES) return;
      if (entry.isDirectory()) {
        if (!SKIP.has(entry.name) && !entry.name.startsWith("."))
          await walk(join(dir, entry.name), depth + 1);
      } else if (entry.isFile()) {
        files.push(relative(cwd, join(dir, entry.name)));
      }
    }
  };
  await walk(cwd, 0);
  return files;
}

const MENTION = /(^|\s)@((?:[^\s\\]|\\ )+)/g;

/**
 * Attaches every `@path` of the prompt that names a readable text file inside
 * `cwd`; the others are reported and left as typed.
 */
export async function expandMentions(
  prompt: string,
  cwd: string,
): Promise<{ prompt: string; attached: string[]; problems: string[] }> {
  const files: { path: string; content: string }[] = [];
  const problems: string[] = [];
  for (const match of prompt.matchAll(MENTION)) {
    const path = (match[2] ?? "").replace(/\\ /g, " ").replace(/[,.;:!?)]+$/, "");
    if (path === "" || files.some((file) => file.path === path)) continue;
    const absolute = resolve(cwd, path);
    const inside = relative(cwd, absolute);
    if (inside.startsWith("..") || isAbsolute(inside)) {
      problems.push(`@${path} is outside the workspace; not attached`);
      continue;
    }
    try {
      const info = await stat(absolute);
      if (!info.isFile()) continue;
      if (info.size > MAX_ATTACHMENT_BYTES) {
        problems.push(`@${path} is larger than 256 KB; not attached (the agent can read it)`);
        continue;
      }
      const content = await readFile(absolute, "utf8");
      if (content.includes("\u0000")) {
        problems.push(`@${path} is a binary file; not attached`);
        continue;
      }
      files.push({ path, content });
    } catch {
      // Not a file: an @ that is just text (an e-mail address, a decorator).
    }
  }
  return { prompt: attachFiles(prompt, files), attached: files.map((file) => file.path), problems };
}
