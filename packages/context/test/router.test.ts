import { describe, expect, it } from "vitest";
import type { Embedder } from "../src/embed/port.js";
import { SemanticRouter } from "../src/route/semantic-router.js";

const routes = [
  {
    name: "fast" as const,
    utterances: ["rename this variable", "fix a typo in the comment", "format this file"],
  },
  {
    name: "reasoning" as const,
    utterances: [
      "design the architecture for a distributed cache",
      "prove this concurrency algorithm is correct",
    ],
  },
];

describe("semantic router", () => {
  it("routes by the closest example and reports confidence", async () => {
    const router = new SemanticRouter({ routes, defaultRoute: "fast", threshold: 0.2 });
    const typo = await router.route("please fix the typo in this comment");
    expect(typo).toMatchObject({ route: "fast", usedDefault: false, matched: "fix a typo in the comment" });
    expect(typo.confidence).toBeGreaterThan(0.2);
    const design = await router.route("design a distributed cache architecture");
    expect(design.route).toBe("reasoning");
  });

  it("falls back to the default below the threshold", async () => {
    const router = new SemanticRouter({ routes, defaultRoute: "fast", threshold: 0.9 });
    const decision = await router.route("what is the weather like");
    expect(decision).toMatchObject({ route: "fast", usedDefault: true });
    expect(decision.matched).toBeUndefined();
  });

  it("uses the embedder it is given, embedding examples once", async () => {
    let calls = 0;
    const embedder: Embedder = {
      id: "fake",
      dimensions: 2,
      embed: async (texts) => {
        calls++;
        return texts.map((t) =>
          t.includes("cache") ? Float32Array.from([0, 1]) : Float32Array.from([1, 0]),
        );
      },
    };
    const router = new SemanticRouter({ routes, defaultRoute: "fast", embedder });
    expect((await router.route("cache it")).route).toBe("reasoning");
    expect((await router.route("other")).route).toBe("fast");
    expect(calls).toBe(3);
  });
});
