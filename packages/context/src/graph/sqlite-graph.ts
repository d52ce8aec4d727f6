import type Database from "better-sqlite3";
import {
  type CodeGraph,
  DEFAULT_TRAVERSE_KINDS,
  type GraphEdge,
  type GraphNode,
  type Reached,
  type TraverseOptions,
} from "./port.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS graph_nodes (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, path TEXT NOT NULL, line INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS graph_nodes_path ON graph_nodes(path);
CREATE INDEX IF NOT EXISTS graph_nodes_name ON graph_nodes(name);
CREATE TABLE IF NOT EXISTS graph_edges (
  src TEXT NOT NULL, dst TEXT NOT NULL, kind TEXT NOT NULL, owner TEXT NOT NULL,
  PRIMARY KEY (src, dst, kind)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS graph_edges_dst ON graph_edges(dst);
CREATE INDEX IF NOT EXISTS graph_edges_owner ON graph_edges(owner);
`;

/** The embedded code graph: two tables beside the index, walked with recursive CTEs. */
export class SqliteCodeGraph implements CodeGraph {
  constructor(private readonly db: Database.Database) {
    db.exec(SCHEMA);
  }

  async replaceFile(path: string, nodes: readonly GraphNode[], edges: readonly GraphEdge[]): Promise<void> {
    const insertNode = this.db.prepare(
      "INSERT OR REPLACE INTO graph_nodes (id, kind, name, path, line) VALUES (?, ?, ?, ?, ?)",
    );
    const insertEdge = this.db.prepare(
      "INSERT OR IGNORE INTO graph_edges (src, dst, kind, owner) VALUES (?, ?, ?, ?)",
    );
    this.db.transaction(() => {
      this.deleteFile(path);
      for (const n of nodes) insertNode.run(n.id, n.kind, n.name, n.path, n.line);
      for (const e of edges) insertEdge.run(e.from, e.to, e.kind, path);
    })();
  }

  async removeFile(path: string): Promise<void> {
    this.db.transaction(() => this.deleteFile(path))();
  }

  private deleteFile(path: string): void {
    this.db.prepare("DELETE FROM graph_nodes WHERE path = ?").run(path);
    this.db.prepare("DELETE FROM graph_edges WHERE owner = ?").run(path);
  }

  async node(id: string): Promise<GraphNode | undefined> {
    return this.db.prepare("SELECT id, kind, name, path, line FROM graph_nodes WHERE id = ?").get(id) as
      | GraphNode
      | undefined;
  }

  async findByName(name: string): Promise<GraphNode[]> {
    return this.db
      .prepare("SELECT id, kind, name, path, line FROM graph_nodes WHERE name = ? ORDER BY path, line")
      .all(name) as GraphNode[];
  }

  async nodesIn(path: string): Promise<GraphNode[]> {
    return this.db
      .prepare("SELECT id, kind, name, path, line FROM graph_nodes WHERE path = ? ORDER BY line, id")
      .all(path) as GraphNode[];
  }

  async edgesOf(id: string): Promise<GraphEdge[]> {
    return this.db
      .prepare(
        "SELECT src AS 'from', dst AS 'to', kind FROM graph_edges WHERE src = ? OR dst = ? ORDER BY kind, src, dst",
      )
      .all(id, id) as GraphEdge[];
  }

  async dependencies(id: string, options?: TraverseOptions): Promise<Reached[]> {
    return this.walk(id, "out", options);
  }

  async impact(id: string, options?: TraverseOptions): Promise<Reached[]> {
    return this.walk(id, "in", options);
  }

  async close(): Promise<void> {}

  private walk(id: string, direction: "in" | "out", options: TraverseOptions = {}): Reached[] {
    const depth = options.depth ?? 2;
    const kinds = JSON.stringify(options.kinds ?? DEFAULT_TRAVERSE_KINDS);
    const [near, far] = direction === "out" ? ["src", "dst"] : ["dst", "src"];
    // Seeds: the node itself and, unless switched off, what it defines (a module's classes and their methods).
    const expand = options.includeDefined === false ? 0 : 1;
    const rows = this.db
      .prepare(
        `WITH RECURSIVE seed(id) AS (
           SELECT ?
           UNION
           SELECT e.dst FROM graph_edges e JOIN seed s ON e.src = s.id WHERE e.kind = 'defines' AND ? = 1
         ),
         walk(id, depth) AS (
           SELECT id, 0 FROM seed
           UNION
           SELECT e.${far}, w.depth + 1 FROM graph_edges e JOIN walk w ON e.${near} = w.id
           WHERE w.depth < ? AND e.kind IN (SELECT value FROM json_each(?))
         )
         SELECT n.id, n.kind, n.name, n.path, n.line, min(w.depth) AS depth
         FROM walk w JOIN graph_nodes n ON n.id = w.id
         WHERE w.id NOT IN (SELECT id FROM seed)
         GROUP BY n.id ORDER BY depth, n.path, n.line`,
      )
      .all(id, expand, depth, kinds) as Array<GraphNode & { depth: number }>;
    return rows.map(({ depth: d, ...node }) => ({ node, depth: d }));
  }
}
