import { chunkFile } from "./chunker.js";
import { extractSymbols } from "./extract.js";
import { languageForPath } from "./languages.js";
import type { TreeSitterRuntime } from "./runtime.js";
import type { FileAnalysis } from "./types.js";

/** Parses one file and extracts its symbols and chunks; undefined when no grammar handles the path. */
export async function analyzeFile(
  runtime: TreeSitterRuntime,
  path: string,
  content: string,
): Promise<FileAnalysis | undefined> {
  const language = languageForPath(path);
  if (!language) return undefined;
  const loaded = await runtime.load(language);
  const tree = loaded.parser.parse(content);
  if (!tree) return undefined;
  try {
    const extracted = extractSymbols(tree.rootNode, loaded.tags);
    return {
      path,
      language,
      defs: extracted.defs,
      refs: extracted.refs,
      imports: extracted.imports,
      inherits: extracted.inherits,
      chunks: chunkFile(content, extracted.defNodes),
      hasError: tree.rootNode.hasError,
    };
  } finally {
    // WASM trees live outside the JS heap: free them explicitly.
    tree.delete();
  }
}
