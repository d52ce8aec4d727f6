import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, makeSandbox, runToad, type Sandbox } from "./harness.js";

let box: Sandbox | undefined;
beforeAll(assertBuilt);
afterEach(async () => {
  await box?.cleanup();
  box = undefined;
});

const files = {
  "src/parser.py": [
    "def parse_header(line):",
    '    """Split an HTTP header line into name and value."""',
    '    name, _, value = line.partition(":")',
    "    return name.strip().lower(), value.strip()",
    "",
  ].join("\n"),
  "src/client.py": [
    "from parser import parse_header",
    "",
    "class Client:",
    "    def read_headers(self, lines):",
    "        return dict(parse_header(line) for line in lines)",
    "",
  ].join("\n"),
  "README.md": "A tiny HTTP client.\n",
};

describe("toad index / map / search", () => {
  it("indexes incrementally, prints the map and ranked results with reasons", async () => {
    box = await makeSandbox(files, "http://127.0.0.1:9");
    const first = await runToad(["index"], box);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/3 files \(3 parsed, 0 unchanged, 0 removed\)/);
    expect(existsSync(join(box.repo, ".toad", "index.sqlite"))).toBe(true);
    const again = await runToad(["index", "--quiet"], box);
    expect(again.stdout).toMatch(/\(0 parsed, 3 unchanged/);

    const map = await runToad(["map", "--tokens", "500"], box);
    expect(map.code).toBe(0);
    expect(map.stdout).toContain("src/parser.py");
    expect(map.stdout).toContain("parse_header");

    const found = await runToad(["search", "split header line", "--json"], box);
    expect(found.code).toBe(0);
    const items = JSON.parse(found.stdout) as { path: string; reasons: string[] }[];
    expect(items[0]?.path).toBe("src/parser.py");
    expect(items[0]?.reasons.length).toBeGreaterThan(0);

    const text = await runToad(["search", "parse_header"], box);
    expect(text.stdout).toMatch(/^1\. src\/\w+\.py:\d+-\d+/);
    expect(text.stdout).toContain("why:");
  });

  it("explains bad usage", async () => {
    box = await makeSandbox({}, "http://127.0.0.1:9");
    const run = await runToad(["search"], box);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no query/);
  });
});
