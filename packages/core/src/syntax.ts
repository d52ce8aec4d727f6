/**
 * The port tools use to refuse an edit that breaks a file's syntax. The
 * tree-sitter implementation lives in `packages/context`; callers that have
 * none pass `NO_SYNTAX_CHECK`.
 */
export type SyntaxCheck =
  | { status: "ok" }
  /** No grammar for this file type: nothing to check. */
  | { status: "unsupported" }
  /** `line` and `column` are 1-based, of the first error. */
  | { status: "error"; line: number; column: number; message: string };

export interface SyntaxChecker {
  check(path: string, content: string): Promise<SyntaxCheck>;
}

export const NO_SYNTAX_CHECK: SyntaxChecker = {
  check: async () => ({ status: "unsupported" }),
};
