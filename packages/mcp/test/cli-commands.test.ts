import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverScript, tempDir } from "./helpers.js";

/** `toad mcp list|add|remove`, the built command as a real process. */
const TOAD_BIN = fileURLToPath(new URL("../../../cli/bin/toad.js", import.meta.url));
const CLI_DIST = fileURLToPath(new URL("../../../cli/dist/main.js", import.meta.url));

describe("toad mcp list | add | remove", () => {
  let box: Awaited<ReturnType<typeof tempDir>>;
  let repo = "";
  const env = () => ({
    PATH: process.env.PATH,
    HOME: join(box.path, "home"),
    TOAD_CONFIG_HOME: join(box.path, "config"),
  });
  const toad = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [TOAD_BIN, "mcp", ...args],
        { cwd: repo, env: env() },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    if (!existsSync(CLI_DIST)) throw new Error(`${CLI_DIST} is missing: run npm run build first`);
    box = await tempDir("toad-mcp-cli-");
    repo = join(box.path, "repo");
    await mkdir(repo);
    execFileSync("git", ["init", "-q"], { cwd: repo });
  });
  afterAll(() => box.cleanup());

  it("adds stdio and HTTP servers to the user or project file, lists, checks and removes them", async () => {
    expect((await toad("list")).stdout).toContain("no MCP servers configured");
    const everything = serverScript("server-everything");
    const added = await toad(
      "add",
      "everything",
      "--env",
      "A=1",
      "--",
      process.execPath,
      everything,
      "stdio",
    );
    expect(added).toMatchObject({
      code: 0,
      stdout: `added MCP server "everything" to ${join(box.path, "config", "mcp.json")}\n`,
    });
    expect(
      (
        await toad(
          "add",
          "remote",
          "--project",
          "--url",
          "http://127.0.0.1:9/mcp",
          "--header",
          "Authorization: Bearer x",
        )
      ).code,
    ).toBe(0);
    expect(JSON.parse(await readFile(join(repo, ".toad", "mcp.json"), "utf8"))).toEqual({
      mcpServers: {
        remote: { type: "http", url: "http://127.0.0.1:9/mcp", headers: { Authorization: "Bearer x" } },
      },
    });

    const listed = JSON.parse((await toad("list", "--json")).stdout) as Array<Record<string, string>>;
    expect(listed.map((row) => [row.name, row.scope, row.type, row.status])).toEqual([
      ["everything", "user", "stdio", "enabled"],
      ["remote", "project", "http", "enabled"],
    ]);

    const checked = await toad("list", "--check");
    expect(checked.code).toBe(1);
    expect(checked.stdout).toMatch(/→ ok: 13 tools \(echo, .*\), 7 resources, 4 prompts/);
    expect(checked.stdout).toMatch(/→ failed: MCP server "remote" could not start/);

    expect((await toad("remove", "remote")).stdout).toContain('removed MCP server "remote"');
    expect((await toad("list", "--check")).code).toBe(0);
  });

  it("refuses bad input with a usage error and a readable message", async () => {
    const [duplicate, badName, flagInCommand, both, missing, unknown] = await Promise.all([
      toad("add", "everything", "--", "x"),
      toad("add", "a__b", "--", "x"),
      toad("add", "fs", "npx", "-y", "pkg"),
      toad("add", "x", "--url", "http://127.0.0.1:1/mcp", "--", "cmd"),
      toad("remove", "nope"),
      toad("frobnicate"),
    ]);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('a server named "everything" is already in');
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain('"__" is reserved');
    expect(flagInCommand.code).toBe(2);
    expect(flagInCommand.stderr).toContain("'--'");
    expect(both.stderr).toContain("either --url or a command");
    expect(missing.stderr).toContain('no server named "nope"');
    expect(unknown.code).toBe(2);
  });
});
