import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { extname, join, relative, sep } from "node:path";
import { languageForPath } from "../parse/languages.js";

/** Text files indexed for BM25 only (no grammar, no symbols). */
const TEXT_EXTENSIONS = new Set([
  ".md",
  ".rst",
  ".txt",
  ".toml",
  ".yaml",
  ".yml",
  ".cfg",
  ".ini",
  ".proto",
  ".sql",
]);
const SKIP_DIRS = new Set([
  ".git",
  "node_modules",
  "dist",
  "build",
  "target",
  "vendor",
  "__pycache__",
  ".venv",
  "venv",
]);
const SKIP_FILES = /(\.min\.js|\.map|package-lock\.json|yarn\.lock|pnpm-lock\.yaml)$/;

export function isIndexable(path: string): boolean {
  if (SKIP_FILES.test(path)) return false;
  return languageForPath(path) !== undefined || TEXT_EXTENSIONS.has(extname(path).toLowerCase());
}

/**
 * Repository-relative paths (forward slashes) of the files to index: `git
 * ls-files` when the root is a git work tree (so .gitignore holds), a
 * directory walk with the usual build and dependency folders skipped otherwise.
 */
export function listFiles(root: string): string[] {
  let paths: string[];
  try {
    const out = execFileSync(
      "git",
      ["-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
      {
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
        stdio: ["ignore", "pipe", "ignore"],
      },
    );
    paths = out.split("\0").filter((p) => p.length > 0);
  } catch {
    paths = walk(root, root);
  }
  return paths.filter((p) => isIndexable(p) && !p.split("/").some((part) => SKIP_DIRS.has(part))).sort();
}

function walk(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith("."))
        out.push(...walk(root, join(dir, entry.name)));
    } else if (entry.isFile()) {
      out.push(relative(root, join(dir, entry.name)).split(sep).join("/"));
    }
  }
  return out;
}
