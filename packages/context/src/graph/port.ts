export type GraphNodeKind = "module" | "class" | "function";
export type GraphEdgeKind = "calls" | "imports" | "inherits" | "defines";

export interface GraphNode {
  /** `path` for a module, `path#Qualified.name` for a class or function. */
  id: string;
  kind: GraphNodeKind;
  name: string;
  path: string;
  line: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: GraphEdgeKind;
}

export interface Reached {
  node: GraphNode;
  /** Hops from the start (1 = direct). */
  depth: number;
}

export interface TraverseOptions {
  depth?: number;
  /** Edge kinds to follow; default calls, imports, inherits. */
  kinds?: readonly GraphEdgeKind[];
  /** Start from the node and everything it defines (a module's classes and functions). Default true. */
  includeDefined?: boolean;
}

export const DEFAULT_TRAVERSE_KINDS: readonly GraphEdgeKind[] = ["calls", "imports", "inherits"];

/**
 * The code graph port. Each file owns its nodes and the edges that start at
 * them, so an edit replaces one file's slice. Embedded: `SqliteCodeGraph`;
 * cluster: `FalkorCodeGraph` (Cypher).
 */
export interface CodeGraph {
  replaceFile(path: string, nodes: readonly GraphNode[], edges: readonly GraphEdge[]): Promise<void>;
  removeFile(path: string): Promise<void>;
  node(id: string): Promise<GraphNode | undefined>;
  findByName(name: string): Promise<GraphNode[]>;
  /** The nodes a file owns (its module, classes and functions). */
  nodesIn(path: string): Promise<GraphNode[]>;
  /** What the node depends on: outgoing edges, breadth first, to `depth` hops. */
  dependencies(id: string, options?: TraverseOptions): Promise<Reached[]>;
  /** What depends on the node (would be affected by changing it): incoming edges to `depth` hops. */
  impact(id: string, options?: TraverseOptions): Promise<Reached[]>;
  edgesOf(id: string): Promise<GraphEdge[]>;
  close(): Promise<void>;
}
