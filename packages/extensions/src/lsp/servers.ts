import { access, constants } from "node:fs/promises";
import { delimiter, extname, join } from "node:path";
import type { Env } from "../shared/paths.js";

/** A language server TOAD knows how to start, and the files it answers for. */
export interface LanguageServerSpec {
  id: string;
  /** File extensions, with the dot. */
  extensions: readonly string[];
  /** Executable name, looked up in the project's node_modules/.bin, then on PATH. */
  command: string;
  args: readonly string[];
  /** The LSP languageId of a file. */
  languageId(path: string): string;
  /** Settings returned for `workspace/configuration` requests (null when absent). */
  settings?: Record<string, unknown>;
  initializationOptions?: Record<string, unknown>;
}

const byExtension =
  (table: Record<string, string>, fallback: string) =>
  (path: string): string =>
    table[extname(path)] ?? fallback;

export const KNOWN_SERVERS: readonly LanguageServerSpec[] = [
  {
    id: "typescript",
    extensions: [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"],
    command: "typescript-language-server",
    args: ["--stdio"],
    languageId: byExtension(
      {
        ".tsx": "typescriptreact",
        ".jsx": "javascriptreact",
        ".js": "javascript",
        ".mjs": "javascript",
        ".cjs": "javascript",
      },
      "typescript",
    ),
    // Type acquisition downloads @types packages from npm: slow, and offline it only waits.
    initializationOptions: { disableAutomaticTypingAcquisition: true },
  },
  {
    id: "python",
    extensions: [".py", ".pyi"],
    command: "pyright-langserver",
    args: ["--stdio"],
    languageId: () => "python",
  },
  { id: "go", extensions: [".go"], command: "gopls", args: [], languageId: () => "go" },
  { id: "rust", extensions: [".rs"], command: "rust-analyzer", args: [], languageId: () => "rust" },
];

export function serverFor(
  path: string,
  servers: readonly LanguageServerSpec[],
): LanguageServerSpec | undefined {
  const extension = extname(path);
  return servers.find((server) => server.extensions.includes(extension));
}

/** The server's executable: the project's own (node_modules/.bin) first, then PATH; undefined when not installed. */
export async function findServerExecutable(
  spec: LanguageServerSpec,
  projectDir: string,
  env: Env,
): Promise<string | undefined> {
  const dirs = [
    join(projectDir, "node_modules", ".bin"),
    ...(env.PATH ?? "").split(delimiter).filter(Boolean),
  ];
  for (const dir of dirs) {
    const candidate = join(dir, spec.command);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here; try the next directory.
    }
  }
  return undefined;
}
