import type { LanguageId } from "./languages.js";

/** 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

export interface SymbolDef {
  name: string;
  /** From the tags capture: function, method, class, interface, module, type, enum, constant, macro. */
  kind: string;
  /** `Class.method` for members, the bare name otherwise. */
  qualifiedName: string;
  /** Qualified name of the enclosing class-like definition, if any. */
  parent?: string;
  /** The definition's head up to its body, whitespace collapsed. */
  signature: string;
  start: Position;
  end: Position;
}

export interface SymbolRef {
  name: string;
  /** call, type, class, attribute, implementation, path. */
  kind: string;
  line: number;
  column: number;
  /** Qualified name of the innermost definition containing the reference. */
  enclosing?: string;
}

export interface ImportRef {
  /** As written: a dotted module, a relative path, a header name. */
  module: string;
  line: number;
}

export interface InheritRef {
  /** The class-like definition that inherits. */
  child: string;
  base: string;
  line: number;
}

/** A retrieval unit: one function or method, a piece of a large one, or top-level code. */
export interface Chunk {
  startLine: number;
  endLine: number;
  /** Qualified name of the definition the chunk belongs to; absent for module-level code. */
  symbol?: string;
  text: string;
}

export interface FileAnalysis {
  path: string;
  language: LanguageId;
  defs: SymbolDef[];
  refs: SymbolRef[];
  imports: ImportRef[];
  inherits: InheritRef[];
  chunks: Chunk[];
  /** The parse found syntax errors (the symbols are still best effort). */
  hasError: boolean;
}
