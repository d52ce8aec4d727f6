import type { SyntaxCheck, SyntaxChecker } from "@toad/core";
import type { Node } from "web-tree-sitter";
import { languageForPath } from "./languages.js";
import { TreeSitterRuntime } from "./runtime.js";

/** First ERROR or MISSING node in document order, without walking clean subtrees. */
function firstError(node: Node): Node | undefined {
  if (node.isError || node.isMissing) return node;
  if (!node.hasError) return undefined;
  for (const child of node.children) {
    if (!child) continue;
    const found = firstError(child);
    if (found) return found;
  }
  return node;
}

/** The tree-sitter implementation of core's `SyntaxChecker` port. */
export function createSyntaxChecker(runtime: TreeSitterRuntime = new TreeSitterRuntime()): SyntaxChecker {
  return {
    async check(path: string, content: string): Promise<SyntaxCheck> {
      const language = languageForPath(path);
      if (!language) return { status: "unsupported" };
      const loaded = await runtime.load(language);
      const tree = loaded.parser.parse(content);
      if (!tree) return { status: "unsupported" };
      try {
        const error = firstError(tree.rootNode);
        if (!error) return { status: "ok" };
        const message = error.isMissing
          ? `missing ${error.type}`
          : `unexpected ${JSON.stringify(error.text.split("\n", 1)[0]?.slice(0, 40) ?? "")}`;
        return {
          status: "error",
          line: error.startPosition.row + 1,
          column: error.startPosition.column + 1,
          message: `syntax error: ${message}`,
        };
      } finally {
        tree.delete();
      }
    },
  };
}
