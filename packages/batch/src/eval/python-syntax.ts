import { execFile } from "node:child_process";
import type { SyntaxCheck, SyntaxChecker } from "@toad/core";

// Parses stdin with Python's own parser and prints "ok" or "line:col:message".
const PARSE = [
  "import ast, sys",
  "try:",
  "    ast.parse(sys.stdin.buffer.read(), filename=sys.argv[1])",
  "    print('ok')",
  "except SyntaxError as e:",
  "    print('%s:%s:%s' % (e.lineno or 1, e.offset or 1, e.msg))",
].join("\n");

/**
 * A `SyntaxChecker` for Python files through the interpreter's `ast` module:
 * evaluation's fallback when tree-sitter cannot take a Python file (see
 * `createEvalSyntaxChecker`). Other files, or no python3 on this machine,
 * are "unsupported".
 */
export function createPythonSyntaxChecker(python = "python3"): SyntaxChecker {
  return {
    async check(path: string, content: string): Promise<SyntaxCheck> {
      if (!/\.pyi?$/.test(path)) return { status: "unsupported" };
      const answer = await runPython(python, path, content);
      if (answer === undefined) return { status: "unsupported" };
      if (answer === "ok") return { status: "ok" };
      const match = /^(\d+):(\d+):(.*)$/s.exec(answer);
      if (!match) return { status: "unsupported" };
      return { status: "error", line: Number(match[1]), column: Number(match[2]), message: match[3] ?? "" };
    },
  };
}

function runPython(python: string, path: string, content: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = execFile(
      python,
      ["-c", PARSE, path],
      { encoding: "utf8", timeout: 30_000, maxBuffer: 1024 * 1024 },
      (error, stdout) => resolve(error ? undefined : stdout.trim()),
    );
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(content);
  });
}
