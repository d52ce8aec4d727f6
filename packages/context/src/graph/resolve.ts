import { posix } from "node:path";

const SCRIPT_EXTENSIONS = [".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".d.ts"];

/** Finds repository files by path suffix: the common ground of every language's import syntax. */
export class PathIndex {
  private readonly byBase = new Map<string, string[]>();
  private readonly all: Set<string>;

  constructor(paths: Iterable<string>) {
    this.all = new Set(paths);
    for (const p of this.all) {
      const base = posix.basename(p);
      let list = this.byBase.get(base);
      if (!list) {
        list = [];
        this.byBase.set(base, list);
      }
      list.push(p);
    }
  }

  has(path: string): boolean {
    return this.all.has(path);
  }

  /** Files whose path ends with `suffix` at a directory boundary. */
  bySuffix(suffix: string): string[] {
    const base = posix.basename(suffix);
    return (this.byBase.get(base) ?? []).filter((p) => p === suffix || p.endsWith(`/${suffix}`));
  }

  /** Files directly inside a directory whose path ends with `dirSuffix`. */
  inDirectory(dirSuffix: string, extension: string): string[] {
    const out: string[] = [];
    for (const p of this.all) {
      const dir = posix.dirname(p);
      if (p.endsWith(extension) && (dir === dirSuffix || dir.endsWith(`/${dirSuffix}`))) out.push(p);
    }
    return out;
  }
}

/** Repository files an import statement in `from` refers to; empty for external packages. */
export function resolveImport(from: string, language: string, module: string, files: PathIndex): string[] {
  switch (language) {
    case "python":
      return resolvePython(from, module, files);
    case "javascript":
    case "typescript":
    case "tsx":
      return resolveScript(from, module, files);
    case "go":
      return files.inDirectory(module.split("/").slice(-2).join("/"), ".go").slice(0, 20);
    case "rust":
      return resolveBySegments(
        module.replace(/^(crate|self|super)::/, "").split("::"),
        [".rs", "/mod.rs"],
        files,
      );
    case "java":
      return resolveBySegments(module.split("."), [".java"], files);
    case "c":
    case "cpp":
      return files.bySuffix(module.replace(/^\.\//, "")).slice(0, 3);
    default:
      return [];
  }
}

function resolvePython(from: string, module: string, files: PathIndex): string[] {
  const dots = /^\.+/.exec(module)?.[0].length ?? 0;
  const rest = module.slice(dots).split(".").filter(Boolean);
  if (dots > 0) {
    let dir = posix.dirname(from);
    for (let i = 1; i < dots; i++) dir = posix.dirname(dir);
    const base = rest.length > 0 ? posix.join(dir, ...rest) : dir;
    return [`${base}.py`, `${base}/__init__.py`].filter((p) => files.has(p));
  }
  return resolveBySegments(rest, [".py", "/__init__.py"], files);
}

/** `a.b.c` as a/b/c.ext, falling back to a/b (the last segment may be a member, not a module). */
function resolveBySegments(segments: string[], endings: string[], files: PathIndex): string[] {
  for (let n = segments.length; n > 0; n--) {
    const stem = segments.slice(0, n).join("/");
    for (const ending of endings) {
      const found = files.bySuffix(`${stem}${ending}`);
      // A bare one-segment name that matches several files is too ambiguous to link.
      if (found.length > 0 && (n > 1 || found.length === 1)) return found.slice(0, 3);
    }
  }
  return [];
}

function resolveScript(from: string, module: string, files: PathIndex): string[] {
  if (!module.startsWith(".")) return [];
  const base = posix.normalize(posix.join(posix.dirname(from), module));
  const stripped = base.replace(/\.(js|jsx|mjs|cjs)$/, "");
  const candidates = [
    base,
    ...SCRIPT_EXTENSIONS.map((e) => `${stripped}${e}`),
    ...SCRIPT_EXTENSIONS.map((e) => `${base}/index${e}`),
  ];
  const hit = candidates.find((c) => files.has(c));
  return hit ? [hit] : [];
}
