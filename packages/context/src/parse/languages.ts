import { extname } from "node:path";
import { EXTRA_QUERIES } from "./extra-queries.js";

export type LanguageId =
  | "python"
  | "typescript"
  | "tsx"
  | "javascript"
  | "go"
  | "rust"
  | "java"
  | "c"
  | "cpp";

export interface LanguageSpec {
  id: LanguageId;
  /** Grammar package and the .wasm file inside it. */
  wasm: { pkg: string; file: string };
  /** tags.scm files (package, path) concatenated into one query. */
  tags: Array<{ pkg: string; file: string }>;
  /** Our own patterns: imports, inherits and references the shipped tags.scm lacks. */
  extra: string;
}

const JS_TAGS = { pkg: "tree-sitter-javascript", file: "queries/tags.scm" };
const TS_TAGS = { pkg: "tree-sitter-typescript", file: "queries/tags.scm" };

export const LANGUAGES: Record<LanguageId, LanguageSpec> = {
  python: {
    id: "python",
    wasm: { pkg: "tree-sitter-python", file: "tree-sitter-python.wasm" },
    tags: [{ pkg: "tree-sitter-python", file: "queries/tags.scm" }],
    extra: EXTRA_QUERIES.python,
  },
  typescript: {
    id: "typescript",
    wasm: { pkg: "tree-sitter-typescript", file: "tree-sitter-typescript.wasm" },
    // tree-sitter-typescript's own tags only cover TS-specific nodes; its
    // tree-sitter.json layers them over the JavaScript tags, as we do.
    tags: [TS_TAGS, JS_TAGS],
    extra: EXTRA_QUERIES.typescript,
  },
  tsx: {
    id: "tsx",
    wasm: { pkg: "tree-sitter-typescript", file: "tree-sitter-tsx.wasm" },
    tags: [TS_TAGS, JS_TAGS],
    extra: EXTRA_QUERIES.typescript,
  },
  javascript: {
    id: "javascript",
    wasm: { pkg: "tree-sitter-javascript", file: "tree-sitter-javascript.wasm" },
    tags: [JS_TAGS],
    extra: EXTRA_QUERIES.javascript,
  },
  go: {
    id: "go",
    wasm: { pkg: "tree-sitter-go", file: "tree-sitter-go.wasm" },
    tags: [{ pkg: "tree-sitter-go", file: "queries/tags.scm" }],
    extra: EXTRA_QUERIES.go,
  },
  rust: {
    id: "rust",
    wasm: { pkg: "tree-sitter-rust", file: "tree-sitter-rust.wasm" },
    tags: [{ pkg: "tree-sitter-rust", file: "queries/tags.scm" }],
    extra: EXTRA_QUERIES.rust,
  },
  java: {
    id: "java",
    wasm: { pkg: "tree-sitter-java", file: "tree-sitter-java.wasm" },
    tags: [{ pkg: "tree-sitter-java", file: "queries/tags.scm" }],
    extra: EXTRA_QUERIES.java,
  },
  c: {
    id: "c",
    wasm: { pkg: "tree-sitter-c", file: "tree-sitter-c.wasm" },
    tags: [{ pkg: "tree-sitter-c", file: "queries/tags.scm" }],
    extra: EXTRA_QUERIES.c,
  },
  cpp: {
    id: "cpp",
    wasm: { pkg: "tree-sitter-cpp", file: "tree-sitter-cpp.wasm" },
    tags: [{ pkg: "tree-sitter-cpp", file: "queries/tags.scm" }],
    extra: EXTRA_QUERIES.cpp,
  },
};

const BY_EXTENSION: Record<string, LanguageId> = {
  ".py": "python",
  ".pyi": "python",
  ".ts": "typescript",
  ".mts": "typescript",
  ".cts": "typescript",
  ".tsx": "tsx",
  ".js": "javascript",
  ".jsx": "javascript",
  ".mjs": "javascript",
  ".cjs": "javascript",
  ".go": "go",
  ".rs": "rust",
  ".java": "java",
  ".c": "c",
  ".h": "c",
  ".cc": "cpp",
  ".cpp": "cpp",
  ".cxx": "cpp",
  ".hpp": "cpp",
  ".hh": "cpp",
  ".hxx": "cpp",
};

/** The language of a path by its extension, or undefined when TOAD has no grammar for it. */
export function languageForPath(path: string): LanguageId | undefined {
  if (path.endsWith(".d.ts")) return "typescript";
  return BY_EXTENSION[extname(path).toLowerCase()];
}
