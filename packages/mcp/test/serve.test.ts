import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";

/**
 * `toad mcp serve`, the built command as a real process, driven by the MCP
 * SDK's own client over stdio.
 */
const TOAD_BIN = fileURLToPath(new URL("../../../cli/bin/toad.js", import.meta.url));
const CLI_DIST = fileURLToPath(new URL("../../../cli/dist/main.js", import.meta.url));

async function connect(repo: string, args: string[] = []): Promise<Client> {
  const client = new Client({ name: "serve-test", version: "1" });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [TOAD_BIN, "mcp", "serve", "--cwd", repo, ...args],
      env: { PATH: process.env.PATH ?? "", HOME: repo, TOAD_CONFIG_HOME: join(repo, ".config") },
      stderr: "pipe",
    }),
  );
  return client;
}

function text(result: Awaited<ReturnType<Client["callTool"]>>): string {
  return (result as CallToolResult).content
    .map((block) => (block.type === "text" ? block.text : ""))
    .join("");
}

describe("toad mcp serve", () => {
  let repo: Awaited<ReturnType<typeof tempDir>>;
  let client: Client;
  beforeAll(async () => {
    if (!existsSync(CLI_DIST)) throw new Error(`${CLI_DIST} is missing: run npm run build first`);
    repo = await tempDir("toad-serve-");
    execFileSync("git", ["init", "-q"], { cwd: repo.path });
    await mkdir(join(repo.path, "src"));
    await writeFile(
      join(repo.path, "src", "calc.ts"),
      "export function add(a: number, b: number): number {\n  return a - b;\n}\n",
    );
    await writeFile(
      join(repo.path, "src", "main.ts"),
      'import { add } from "./calc";\n\nexport function total(values: number[]): number {\n  return values.reduce(add, 0);\n}\n',
    );
    client = await connect(repo.path);
  });
  afterAll(async () => {
    await client?.close();
    await repo?.cleanup();
  });

  it("offers TOAD's tools with annotations, and the context engine's", async () => {
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "read_file",
        "edit_file",
        "grep",
        "glob",
        "bash",
        "repo_map",
        "codebase_search",
      ]),
    );
    expect(names).not.toContain("todo_write");
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    expect(byName.get("read_file")?.annotations).toMatchObject({ readOnlyHint: true });
    expect(byName.get("edit_file")?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
    });
    expect(byName.get("read_file")?.inputSchema).toMatchObject({
      type: "object",
      properties: { path: { type: "string" } },
    });
    expect(client.getServerVersion()?.name).toBe("toad");
  });

  it("reads, searches and edits files in the repository", async () => {
    const read = await client.callTool({ name: "read_file", arguments: { path: "src/calc.ts" } });
    expect(read.isError).toBeFalsy();
    expect(text(read)).toContain("return a - b;");

    const grep = await client.callTool({ name: "grep", arguments: { pattern: "reduce" } });
    expect(text(grep)).toContain("src/main.ts");
    const glob = await client.callTool({ name: "glob", arguments: { pattern: "**/*.ts" } });
    expect(text(glob)).toContain("src/calc.ts");

    const edit = await client.callTool({
      name: "edit_file",
      arguments: { path: "src/calc.ts", old_string: "a - b", new_string: "a + b" },
    });
    expect(edit.isError).toBeFalsy();
    expect(await readFile(join(repo.path, "src", "calc.ts"), "utf8")).toContain("return a + b;");
  });

  it("serves the repo map and codebase search", async () => {
    const map = await client.callTool({ name: "repo_map", arguments: {} });
    expect(map.isError).toBeFalsy();
    expect(text(map)).toContain("calc.ts");
    const search = await client.callTool({ name: "codebase_search", arguments: { query: "add numbers" } });
    expect(search.isError).toBeFalsy();
    expect(text(search)).toContain("src/calc.ts");
  });

  it("answers bad calls with isError results, not protocol errors", async () => {
    const missing = await client.callTool({ name: "read_file", arguments: { path: "nope.ts" } });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(/does not exist/);
    const outside = await client.callTool({ name: "read_file", arguments: { path: "/etc/passwd" } });
    expect(outside.isError).toBe(true);
    const unknown = await client.callTool({ name: "no_such_tool", arguments: {} });
    expect(unknown.isError).toBe(true);
    const invalid = await client.callTool({ name: "edit_file", arguments: { path: 3 } });
    expect(invalid.isError).toBe(true);
    expect(text(invalid)).toMatch(/invalid arguments/);
  });

  it("--read-only serves only tools that change nothing", async () => {
    const readOnly = await connect(repo.path, ["--read-only"]);
    try {
      const { tools } = await readOnly.listTools();
      expect(tools.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);
      expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(["read_file", "grep"]));
      expect(tools.map((tool) => tool.name)).not.toContain("bash");
    } finally {
      await readOnly.close();
    }
  });
});
