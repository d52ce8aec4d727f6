import { existsSync } from "node:fs";
import { resolve } from "node:path";

/** shared/fixtures/wire sits beside the repository (here and in CI); TOAD_WIRE_FIXTURES overrides it. */
export const FIXTURES_DIR =
  process.env.TOAD_WIRE_FIXTURES ?? resolve(import.meta.dirname, "../../../../../shared/fixtures/wire");

if (!existsSync(FIXTURES_DIR)) {
  throw new Error(
    `wire fixtures not found at ${FIXTURES_DIR}; set TOAD_WIRE_FIXTURES to shared/fixtures/wire`,
  );
}
