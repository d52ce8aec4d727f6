import { FalkorDB, type Graph } from "falkordb";
import {
  type CodeGraph,
  DEFAULT_TRAVERSE_KINDS,
  type GraphEdge,
  type GraphEdgeKind,
  type GraphNode,
  type Reached,
  type TraverseOptions,
} from "./port.js";

const REL: Record<GraphEdgeKind, string> = {
  calls: "CALLS",
  imports: "IMPORTS",
  inherits: "INHERITS",
  defines: "DEFINES",
};
const KIND_OF_REL = Object.fromEntries(Object.entries(REL).map(([k, v]) => [v, k])) as Record<
  string,
  GraphEdgeKind
>;

export interface FalkorGraphOptions {
  /** `falkor://host:port`; default falkor://127.0.0.1:6379. */
  url?: string;
  /** Graph key; one per repository. Default "toad-code". */
  graph?: string;
}

type Row = { id: string; kind: GraphNode["kind"]; name: string; path: string; line: number; depth?: number };

/** The code graph on FalkorDB (cluster wiring), same semantics as `SqliteCodeGraph`. */
export class FalkorCodeGraph implements CodeGraph {
  private constructor(
    private readonly client: FalkorDB,
    private readonly graph: Graph,
  ) {}

  static async connect(options: FalkorGraphOptions = {}): Promise<FalkorCodeGraph> {
    const client = await FalkorDB.connect({ url: options.url ?? "falkor://127.0.0.1:6379" });
    const graph = client.selectGraph(options.graph ?? "toad-code");
    try {
      await graph.query("CREATE INDEX FOR (n:Code) ON (n.id)");
    } catch {
      // Already exists: FalkorDB has no IF NOT EXISTS for indexes.
    }
    return new FalkorCodeGraph(client, graph);
  }

  async replaceFile(path: string, nodes: readonly GraphNode[], edges: readonly GraphEdge[]): Promise<void> {
    const ids = nodes.map((n) => n.id);
    await this.graph.query("MATCH ()-[r {owner: $path}]->() DELETE r", { params: { path } });
    await this.graph.query("MATCH (n:Code {path: $path}) WHERE NOT n.id IN $ids DETACH DELETE n", {
      params: { path, ids },
    });
    // Nodes are merged, not recreated, so edges other files own that point here survive.
    await this.graph.query(
      "UNWIND $nodes AS x MERGE (n:Code {id: x.id}) SET n.kind = x.kind, n.name = x.name, n.path = x.path, n.line = x.line",
      { params: { nodes: nodes.map((n) => ({ ...n })) } },
    );
    for (const kind of Object.keys(REL) as GraphEdgeKind[]) {
      const batch = edges.filter((e) => e.kind === kind).map((e) => ({ from: e.from, to: e.to }));
      if (batch.length === 0) continue;
      await this.graph.query(
        `UNWIND $edges AS e MERGE (a:Code {id: e.from}) MERGE (b:Code {id: e.to}) MERGE (a)-[:${REL[kind]} {owner: $path}]->(b)`,
        { params: { edges: batch, path } },
      );
    }
  }

  async removeFile(path: string): Promise<void> {
    await this.graph.query("MATCH ()-[r {owner: $path}]->() DELETE r", { params: { path } });
    await this.graph.query("MATCH (n:Code {path: $path}) DETACH DELETE n", { params: { path } });
  }

  async node(id: string): Promise<GraphNode | undefined> {
    const reply = await this.graph.roQuery<Row>(
      "MATCH (n:Code {id: $id}) WHERE n.path IS NOT NULL RETURN n.id AS id, n.kind AS kind, n.name AS name, n.path AS path, n.line AS line",
      { params: { id } },
    );
    const row = reply.data?.[0];
    return row ? toNode(row) : undefined;
  }

  async findByName(name: string): Promise<GraphNode[]> {
    const reply = await this.graph.roQuery<Row>(
      "MATCH (n:Code {name: $name}) RETURN n.id AS id, n.kind AS kind, n.name AS name, n.path AS path, n.line AS line ORDER BY n.path, n.line",
      { params: { name } },
    );
    return (reply.data ?? []).map(toNode);
  }

  async nodesIn(path: string): Promise<GraphNode[]> {
    const reply = await this.graph.roQuery<Row>(
      "MATCH (n:Code {path: $path}) RETURN n.id AS id, n.kind AS kind, n.name AS name, n.path AS path, n.line AS line ORDER BY n.line, n.id",
      { params: { path } },
    );
    return (reply.data ?? []).map(toNode);
  }

  async edgesOf(id: string): Promise<GraphEdge[]> {
    const reply = await this.graph.roQuery<{ from: string; to: string; rel: string }>(
      "MATCH (a:Code)-[r]->(b:Code) WHERE a.id = $id OR b.id = $id RETURN a.id AS from, b.id AS to, type(r) AS rel",
      { params: { id } },
    );
    return (reply.data ?? [])
      .map((r) => ({ from: r.from, to: r.to, kind: KIND_OF_REL[r.rel] ?? "calls" }))
      .sort(
        (a, b) => a.kind.localeCompare(b.kind) || a.from.localeCompare(b.from) || a.to.localeCompare(b.to),
      );
  }

  dependencies(id: string, options?: TraverseOptions): Promise<Reached[]> {
    return this.walk(id, "out", options);
  }

  impact(id: string, options?: TraverseOptions): Promise<Reached[]> {
    return this.walk(id, "in", options);
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async walk(id: string, direction: "in" | "out", options: TraverseOptions = {}): Promise<Reached[]> {
    const depth = Math.max(1, Math.floor(options.depth ?? 2));
    const rels = (options.kinds ?? DEFAULT_TRAVERSE_KINDS).map((k) => REL[k]).join("|");
    const defineHops = options.includeDefined === false ? 0 : 4;
    const [left, right] = direction === "out" ? ["-", "->"] : ["<-", "-"];
    const reply = await this.graph.roQuery<Row>(
      `MATCH (s:Code {id: $id})-[:DEFINES*0..${defineHops}]->(seed:Code)
       WITH collect(DISTINCT seed) AS seeds
       UNWIND seeds AS sd
       MATCH p = (sd)${left}[:${rels}*1..${depth}]${right}(n:Code)
       WHERE NOT n IN seeds AND n.path IS NOT NULL
       RETURN n.id AS id, n.kind AS kind, n.name AS name, n.path AS path, n.line AS line, min(length(p)) AS depth
       ORDER BY depth, path, line`,
      { params: { id } },
    );
    return (reply.data ?? []).map((r) => ({ node: toNode(r), depth: r.depth ?? 1 }));
  }
}

function toNode(r: Row): GraphNode {
  return { id: r.id, kind: r.kind, name: r.name, path: r.path, line: r.line };
}
