import { describe, expect, it } from "vitest";
import { fuzzyFilter, fuzzyScore } from "../../src/ui/state/fuzzy.js";

describe("fuzzy matching", () => {
  it("needs every query character in order", () => {
    expect(fuzzyScore("rsm", "src/resume.ts")).toBeDefined();
    expect(fuzzyScore("msr", "src/resume.ts")).toBeUndefined();
    expect(fuzzyScore("", "anything")).toBe(0);
  });

  it("ranks file-name and word-start matches above scattered ones", () => {
    const files = [
      "docs/agent/README.md",
      "src/ui/app.tsx",
      "packages/app-config/index.ts",
      "src/approval.ts",
    ];
    expect(fuzzyFilter("app", files, (f) => f)[0]).toBe("src/ui/app.tsx");
    expect(fuzzyFilter("readme", files, (f) => f)).toEqual(["docs/agent/README.md"]);
  });

  it("keeps the input order on ties (recent first in the palette)", () => {
    expect(fuzzyFilter("", ["b", "a", "c"], (x) => x)).toEqual(["b", "a", "c"]);
  });
});
