import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { indexRepository } from "../src/index/indexer.js";
import { searchChunks, searchFiles } from "../src/search/bm25.js";
import { identifiersIn, splitIdentifier, tokenize } from "../src/search/tokenize.js";
import { IndexStore } from "../src/store/index-store.js";
import { makeRepo, PY_PROJECT } from "./helpers.js";

describe("code-aware tokenisation", () => {
  it("splits camelCase, PascalCase acronyms, snake_case and digits", () => {
    expect(splitIdentifier("parseHTTPResponse2")).toEqual(["parse", "http", "response", "2"]);
    expect(splitIdentifier("hue_order")).toEqual(["hue", "order"]);
    expect(splitIdentifier("XMLHttpRequest")).toEqual(["xml", "http", "request"]);
  });

  it("keeps compounds whole as well as split, and drops keywords and stopwords", () => {
    expect(tokenize("def parse_http_response(self): return the getValue")).toEqual([
      "parse",
      "http",
      "response",
      "parsehttpresponse",
      "get",
      "value",
      "getvalue",
    ]);
    expect(tokenize("src/flask/blueprints.py")).toEqual(["src", "flask", "blueprints", "py"]);
    expect(identifiersIn("call Engine.run(job) now")).toEqual(["call", "Engine", "run", "job", "now"]);
  });
});

describe("BM25 over the index", () => {
  const repo = makeRepo(PY_PROJECT);
  const store = IndexStore.open();
  beforeAll(async () => {
    await indexRepository(repo.root, store);
  });
  afterAll(() => repo.cleanup());

  it("finds a file by split identifier terms in any case style", () => {
    const hits = searchFiles(store, "HttpResponse parsing");
    expect(hits[0]?.path).toBe("pkg/http_utils.py");
    expect(searchFiles(store, "parse_header_line")[0]?.path).toBe("pkg/http_utils.py");
  });

  it("ranks the defining chunk first for a function name, with its symbol", () => {
    const hits = searchChunks(store, "execute job");
    expect(hits[0]).toMatchObject({ path: "pkg/core.py", symbol: "execute_job" });
    expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score ?? 0);
  });

  it("can leave tests and non-code files out", () => {
    const all = searchFiles(store, "engine").map((h) => h.path);
    expect(all).toEqual(expect.arrayContaining(["tests/test_core.py", "README.md"]));
    const code = searchFiles(store, "engine", { excludeTests: true, codeOnly: true }).map((h) => h.path);
    expect(code).not.toContain("tests/test_core.py");
    expect(code).not.toContain("README.md");
    expect(code[0]).toBe("pkg/core.py");
  });

  it("returns nothing for a query with no searchable terms", () => {
    expect(searchFiles(store, "the and of")).toEqual([]);
  });
});
