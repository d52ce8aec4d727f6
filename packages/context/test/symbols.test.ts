import { describe, expect, it } from "vitest";
import { analyzeFile } from "../src/parse/analyze.js";
import { languageForPath } from "../src/parse/languages.js";
import { TreeSitterRuntime } from "../src/parse/runtime.js";
import type { FileAnalysis } from "../src/parse/types.js";

const runtime = new TreeSitterRuntime();

async function analyze(path: string, source: string): Promise<FileAnalysis> {
  const result = await analyzeFile(runtime, path, source);
  if (!result) throw new Error(`no grammar for ${path}`);
  return result;
}

const defNames = (a: FileAnalysis) => a.defs.map((d) => `${d.kind}:${d.qualifiedName}`);
const refNames = (a: FileAnalysis) => a.refs.map((r) => r.name);

describe("symbols from tags queries", () => {
  it("Python: classes, methods with parents, signatures, ranges, calls, imports, bases", async () => {
    const a = await analyze(
      "m.py",
      "import os.path\nfrom .base import Base\n\nclass Widget(Base):\n    def render(self, size: int) -> str:\n        return draw(size)\n\nLIMIT = 3\n",
    );
    expect(defNames(a)).toEqual(["class:Widget", "function:Widget.render", "constant:LIMIT"]);
    const render = a.defs[1];
    expect(render?.signature).toBe("def render(self, size: int) -> str:");
    expect(render?.start).toEqual({ line: 5, column: 5 });
    expect(render?.end.line).toBe(6);
    expect(render?.parent).toBe("Widget");
    expect(a.refs.find((r) => r.name === "draw")).toMatchObject({
      kind: "call",
      line: 6,
      enclosing: "Widget.render",
    });
    expect(a.imports.map((i) => i.module)).toEqual(["os.path", ".base"]);
    expect(a.inherits).toEqual([{ child: "Widget", base: "Base", line: 4 }]);
    expect(a.hasError).toBe(false);
    const commented = await analyze("n.py", "def f(x):  # why\n    return x\n");
    expect(commented.defs[0]?.signature).toBe("def f(x):");
  });

  it("TypeScript: classes, interfaces, type aliases, methods, heritage, type references", async () => {
    const a = await analyze(
      "a.ts",
      "import { B } from './b';\nexport interface Shape { area(): number }\ntype Id = string;\nexport class Square extends B implements Shape {\n  area(): number { return compute(this); }\n}\nexport const make = (n: number): Square => new Square();\n",
    );
    expect(defNames(a)).toEqual(
      expect.arrayContaining([
        "interface:Shape",
        "method:Shape.area",
        "type:Id",
        "class:Square",
        "method:Square.area",
        "function:make",
      ]),
    );
    expect(a.imports.map((i) => i.module)).toEqual(["./b"]);
    expect(a.inherits.map((i) => `${i.child}<${i.base}`).sort()).toEqual(["Square<B", "Square<Shape"]);
    expect(refNames(a)).toEqual(expect.arrayContaining(["compute", "Square"]));
    expect(a.defs.find((d) => d.qualifiedName === "Square.area")?.signature).toBe("area(): number");
  });

  it("TSX and JavaScript", async () => {
    const tsx = await analyze(
      "c.tsx",
      "export function Button(props: Props) { return <b onClick={click}>{props.label}</b>; }\n",
    );
    expect(defNames(tsx)).toContain("function:Button");
    expect(tsx.hasError).toBe(false);
    const js = await analyze(
      "d.js",
      "const fs = require('fs');\nclass A extends B { go() { this.stop(); } }\nfunction helper() { return new A(); }\n",
    );
    expect(defNames(js)).toEqual(["class:A", "method:A.go", "function:helper"]);
    expect(js.imports.map((i) => i.module)).toEqual(["fs"]);
    expect(js.inherits).toEqual([{ child: "A", base: "B", line: 2 }]);
    expect(refNames(js)).toEqual(expect.arrayContaining(["stop", "A"]));
  });

  it("Go: functions, methods qualified by receiver, types, embedded structs, imports", async () => {
    const a = await analyze(
      "s.go",
      'package main\n\nimport "fmt"\n\ntype Server struct {\n\tBase\n\tport int\n}\n\nfunc (s *Server) Start(port int) error {\n\treturn listen(port)\n}\n\nfunc main() { fmt.Println("x") }\n',
    );
    expect(defNames(a)).toEqual(["type:Server", "method:Server.Start", "function:main"]);
    expect(a.defs[1]?.signature).toBe("func (s *Server) Start(port int) error");
    expect(a.imports.map((i) => i.module)).toEqual(["fmt"]);
    expect(a.inherits).toEqual([{ child: "Server", base: "Base", line: 6 }]);
    expect(refNames(a)).toEqual(expect.arrayContaining(["listen", "Println"]));
  });

  it("Rust: structs, traits, impl methods qualified by type, trait impls", async () => {
    const a = await analyze(
      "l.rs",
      "use std::fmt::Display;\nstruct Point { x: i32 }\ntrait Shape { fn area(&self) -> f64; }\nimpl Shape for Point {\n    fn area(&self) -> f64 { helper(1) }\n}\nfn helper(n: i32) -> f64 { 0.0 }\n",
    );
    expect(defNames(a)).toEqual(
      expect.arrayContaining(["class:Point", "interface:Shape", "method:Point.area", "function:helper"]),
    );
    expect(a.inherits).toEqual([{ child: "Point", base: "Shape", line: 4 }]);
    expect(a.imports.map((i) => i.module)).toEqual(["std::fmt::Display"]);
    expect(refNames(a)).toContain("helper");
  });

  it("Java: classes, constructors, methods, superclass and interfaces, imports", async () => {
    const a = await analyze(
      "A.java",
      "import java.util.List;\npublic class Cache extends Base implements Store {\n  public Cache() {}\n  public int size(List<String> xs) { return count(xs); }\n}\n",
    );
    expect(defNames(a)).toEqual(["class:Cache", "method:Cache.Cache", "method:Cache.size"]);
    expect(a.imports.map((i) => i.module)).toEqual(["java.util.List"]);
    expect(a.inherits.map((i) => i.base).sort()).toEqual(["Base", "Store"]);
    expect(refNames(a)).toEqual(expect.arrayContaining(["count", "List"]));
  });

  it("C and C++: function definitions span the body; includes, calls, bases, qualified methods", async () => {
    const c = await analyze(
      "x.c",
      '#include "x.h"\ntypedef struct node { int v; } node_t;\nstatic int add(int a, int b) {\n  return helper(a) + b;\n}\n',
    );
    expect(defNames(c)).toEqual(expect.arrayContaining(["class:node", "type:node_t", "function:add"]));
    const add = c.defs.find((d) => d.name === "add");
    expect(add?.start.line).toBe(3);
    expect(add?.end.line).toBe(5);
    expect(add?.signature).toBe("static int add(int a, int b)");
    expect(c.imports.map((i) => i.module)).toEqual(["x.h"]);
    expect(c.refs.find((r) => r.name === "helper")?.enclosing).toBe("add");

    const cpp = await analyze(
      "y.cpp",
      "#include <vector>\nclass Shape : public Base {\n public:\n  int area() { return calc(); }\n};\nint Shape::perimeter() { return 0; }\n",
    );
    expect(defNames(cpp)).toEqual(
      expect.arrayContaining(["class:Shape", "function:Shape.area", "method:Shape.perimeter"]),
    );
    expect(cpp.inherits).toEqual([{ child: "Shape", base: "Base", line: 2 }]);
    expect(cpp.imports.map((i) => i.module)).toEqual(["vector"]);
  });

  it("maps extensions to languages and leaves unknown ones out", () => {
    expect(languageForPath("a/b.py")).toBe("python");
    expect(languageForPath("x.d.ts")).toBe("typescript");
    expect(languageForPath("x.tsx")).toBe("tsx");
    expect(languageForPath("x.hpp")).toBe("cpp");
    expect(languageForPath("README.md")).toBeUndefined();
  });

  it("chunks large functions at statement boundaries and keeps the signature on every piece", async () => {
    const body = Array.from(
      { length: 120 },
      (_, i) => `    value_${i} = compute_something(${i}, "padding text to make lines long")`,
    ).join("\n");
    const a = await analyze("big.py", `def huge(alpha, beta):\n${body}\n    return value_0\n`);
    const pieces = a.chunks.filter((c) => c.symbol === "huge");
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces[0]?.text.startsWith("def huge(alpha, beta):")).toBe(true);
    for (const p of pieces.slice(1)) expect(p.text.startsWith("def huge(alpha, beta):\n")).toBe(true);
    // Pieces tile the function without gaps or overlaps.
    for (let i = 1; i < pieces.length; i++)
      expect(pieces[i]?.startLine).toBe((pieces[i - 1]?.endLine ?? 0) + 1);
    expect(pieces.at(-1)?.endLine).toBe(122);
  });
});
