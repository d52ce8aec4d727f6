import { describe, expect, it } from "vitest";
import { createSyntaxChecker } from "../src/parse/syntax-checker.js";

describe("createSyntaxChecker", () => {
  const checker = createSyntaxChecker();

  it("accepts valid files in each language", async () => {
    const valid: Record<string, string> = {
      "a.py": "def f(x):\n    return x\n",
      "a.ts": "export const f = (x: number): number => x;\n",
      "a.tsx": "export const A = () => <div className='x'>hi</div>;\n",
      "a.js": "function f(x) { return x; }\n",
      "a.go": "package a\n\nfunc F() int { return 1 }\n",
      "a.rs": "fn f() -> i32 { 1 }\n",
      "A.java": "class A { int f() { return 1; } }\n",
      "a.c": "int f(void) { return 1; }\n",
      "a.cpp": "namespace n { int f() { return 1; } }\n",
    };
    for (const [path, content] of Object.entries(valid)) {
      expect(await checker.check(path, content), path).toEqual({ status: "ok" });
    }
  });

  it("reports the first error with a 1-based line and column", async () => {
    const result = await checker.check("b.py", "def ok():\n    return 1\n\ndef broken(:\n    pass\n");
    expect(result.status).toBe("error");
    if (result.status !== "error") return;
    expect(result.line).toBe(4);
    expect(result.column).toBeGreaterThanOrEqual(1);
    expect(result.message).toMatch(/syntax error/);

    const ts = await checker.check("b.ts", "const a = 1;\nfunction f( {\n  return a;\n}\n");
    expect(ts.status).toBe("error");
    if (ts.status === "error") expect(ts.line).toBe(2);
  });

  it("reports a missing token", async () => {
    const result = await checker.check("c.go", "package c\n\nfunc F() {\n\treturn\n");
    expect(result.status).toBe("error");
  });

  it("says unsupported for files it has no grammar for", async () => {
    expect(await checker.check("notes.md", "# hi")).toEqual({ status: "unsupported" });
    expect(await checker.check("Makefile", "all:\n")).toEqual({ status: "unsupported" });
  });
});
