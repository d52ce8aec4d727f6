import { createSyntaxChecker, type TreeSitterRuntime } from "@toad/context";
import type { SyntaxChecker } from "@toad/core";
import { createPythonSyntaxChecker } from "./python-syntax.js";

/**
 * What evaluation checks touched files with: tree-sitter (packages/context)
 * for every language it has a grammar for; Python's own `ast` only for a
 * Python file tree-sitter cannot take (no grammar loaded here).
 */
export function createEvalSyntaxChecker(runtime?: TreeSitterRuntime): SyntaxChecker {
  const treeSitter = createSyntaxChecker(runtime);
  const python = createPythonSyntaxChecker();
  return {
    async check(path, content) {
      const checked = await treeSitter.check(path, content).catch(() => ({ status: "unsupported" as const }));
      return checked.status === "unsupported" ? python.check(path, content) : checked;
    },
  };
}
