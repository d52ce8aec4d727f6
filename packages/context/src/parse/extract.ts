import type { Node, Query } from "web-tree-sitter";
import type { ImportRef, InheritRef, SymbolDef, SymbolRef } from "./types.js";

/** Kinds whose members get `Parent.member` qualified names. */
const CONTAINER_KINDS = new Set(["class", "interface", "module", "enum", "impl"]);
/** Declarator wrappers C and C++ put between a function's name and its definition node. */
const C_DECLARATOR_WRAPPERS = new Set([
  "function_declarator",
  "pointer_declarator",
  "reference_declarator",
  "qualified_identifier",
]);
const MAX_SIGNATURE = 200;

interface RawDef {
  def: SymbolDef;
  node: Node;
  startIndex: number;
  endIndex: number;
}

export interface Extracted {
  defs: SymbolDef[];
  refs: SymbolRef[];
  imports: ImportRef[];
  inherits: InheritRef[];
  /** The definitions with their nodes, in source order, for the chunker. */
  defNodes: Array<{ def: SymbolDef; node: Node }>;
}

/** Runs the tags query over a tree and turns its matches into definitions, references, imports, inherits. */
export function extractSymbols(root: Node, tags: Query): Extracted {
  const raw: RawDef[] = [];
  const seenDefs = new Set<string>();
  const defNameAt = new Set<number>();
  const refNodes: Array<{ kind: string; node: Node }> = [];
  const imports: ImportRef[] = [];
  const inheritNodes: Array<{ role: Node; name: Node }> = [];

  for (const match of tags.matches(root)) {
    let name: Node | undefined;
    let role: string | undefined;
    let roleNode: Node | undefined;
    for (const capture of match.captures) {
      if (capture.name === "name") name = capture.node;
      else if (isRole(capture.name)) {
        role = capture.name;
        roleNode = capture.node;
      }
    }
    if (!name || !role || !roleNode) continue;
    if (role.startsWith("definition.")) {
      const node = definitionNode(roleNode);
      const key = `${node.startIndex}:${name.text}`;
      if (seenDefs.has(key)) continue;
      seenDefs.add(key);
      defNameAt.add(name.startIndex);
      raw.push({
        def: makeDef(name, role.slice(11), node),
        node,
        startIndex: node.startIndex,
        endIndex: node.endIndex,
      });
    } else if (role.startsWith("reference.")) {
      refNodes.push({ kind: role.slice(10), node: name });
    } else if (role === "import") {
      imports.push({ module: name.text.replace(/^["'<]|["'>]$/g, ""), line: name.startPosition.row + 1 });
    } else {
      inheritNodes.push({ role: roleNode, name });
    }
  }

  raw.sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex);
  qualify(raw);
  const refs = collectRefs(refNodes, defNameAt, raw);
  const inherits: InheritRef[] = [];
  for (const { role, name } of inheritNodes) {
    const child = inheritingName(role, name);
    if (child) inherits.push({ child, base: name.text, line: name.startPosition.row + 1 });
  }
  return {
    defs: raw.map((r) => r.def),
    refs,
    imports,
    inherits,
    defNodes: raw.map((r) => ({ def: r.def, node: r.node })),
  };
}

function isRole(capture: string): boolean {
  return (
    capture.startsWith("definition.") ||
    capture.startsWith("reference.") ||
    capture === "import" ||
    capture === "inherit"
  );
}

/** C and C++ tag the declarator; the definition is the enclosing function_definition or declaration. */
function definitionNode(node: Node): Node {
  let current = node;
  while (C_DECLARATOR_WRAPPERS.has(current.type) && current.parent) current = current.parent;
  return current;
}

function makeDef(name: Node, kind: string, node: Node): SymbolDef {
  return {
    name: name.text,
    kind,
    qualifiedName: name.text,
    signature: signatureOf(node),
    start: { line: node.startPosition.row + 1, column: node.startPosition.column + 1 },
    end: { line: node.endPosition.row + 1, column: node.endPosition.column + 1 },
  };
}

function signatureOf(node: Node): string {
  const body = node.childForFieldName("body");
  let text =
    body && body.startIndex > node.startIndex ? node.text.slice(0, body.startIndex - node.startIndex) : "";
  if (!text) text = node.text.split("\n", 1)[0] ?? "";
  // A comment between the head and the body (Python's `def f(): # note`) is not part of the signature.
  text = text
    .replace(/\s+/g, " ")
    .trim()
    .replace(/:\s*#.*$/, ":");
  return text.length > MAX_SIGNATURE ? `${text.slice(0, MAX_SIGNATURE)}…` : text;
}

/** Sets parent and qualifiedName from range nesting, with the language-specific receivers. */
function qualify(raw: RawDef[]): void {
  const stack: RawDef[] = [];
  for (const entry of raw) {
    while (stack.length > 0 && (stack.at(-1)?.endIndex ?? 0) < entry.endIndex) stack.pop();
    const explicit = explicitOwner(entry.node);
    const container = [...stack].reverse().find((s) => CONTAINER_KINDS.has(s.def.kind));
    const parent = explicit ?? container?.def.qualifiedName;
    if (parent) {
      entry.def.parent = parent;
      entry.def.qualifiedName = `${parent}.${entry.def.name}`;
    }
    stack.push(entry);
  }
}

/** Owners written outside the nesting: Go receivers, Rust impl blocks, C++ `A::f`. */
function explicitOwner(node: Node): string | undefined {
  if (node.type === "method_declaration") {
    const receiver = node.childForFieldName("receiver");
    const type = receiver?.descendantsOfType("type_identifier")[0];
    if (type) return type.text;
  }
  for (let up = node.parent; up; up = up.parent) {
    if (up.type === "impl_item") return up.childForFieldName("type")?.text.replace(/<.*$/s, "");
  }
  const declarator = node.childForFieldName("declarator");
  const qualified =
    declarator?.type === "function_declarator" ? declarator.childForFieldName("declarator") : null;
  if (qualified?.type === "qualified_identifier") {
    const scope = qualified.childForFieldName("scope");
    if (scope) return scope.text.split("::").at(-1);
  }
  return undefined;
}

function collectRefs(
  nodes: Array<{ kind: string; node: Node }>,
  defNameAt: Set<number>,
  defs: RawDef[],
): SymbolRef[] {
  const seen = new Set<number>();
  const refs: SymbolRef[] = [];
  for (const { kind, node } of nodes) {
    if (seen.has(node.startIndex) || defNameAt.has(node.startIndex)) continue;
    seen.add(node.startIndex);
    const ref: SymbolRef = {
      name: node.text,
      kind,
      line: node.startPosition.row + 1,
      column: node.startPosition.column + 1,
    };
    const enclosing = innermost(defs, node.startIndex);
    if (enclosing) ref.enclosing = enclosing.def.qualifiedName;
    refs.push(ref);
  }
  return refs;
}

/** Innermost definition containing `index`; defs are sorted by start. */
function innermost(defs: RawDef[], index: number): RawDef | undefined {
  let lo = 0;
  let hi = defs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((defs[mid]?.startIndex ?? 0) <= index) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0; i--) {
    const d = defs[i];
    if (d && d.endIndex > index) return d;
  }
  return undefined;
}

/** The class-like definition an `@inherit` capture belongs to. */
function inheritingName(role: Node, base: Node): string | undefined {
  for (let n: Node | null = role; n; n = n.parent) {
    if (n.type === "impl_item") return n.childForFieldName("type")?.text;
    const name = n.childForFieldName("name");
    if (name && name.startIndex !== base.startIndex && n.type !== "field_declaration") return name.text;
  }
  return undefined;
}
