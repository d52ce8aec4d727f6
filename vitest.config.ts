import { defineConfig } from "vitest/config";

// One test run for the whole monorepo. Workspace packages resolve to their
// TypeScript sources through the "toad-source" export condition, so tests
// need no build step.
export default defineConfig({
  resolve: { conditions: ["toad-source"] },
  ssr: { resolve: { conditions: ["toad-source"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "services/*/test/**/*.test.ts", "cli/test/**/*.test.{ts,tsx}"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: "forks",
  },
});
