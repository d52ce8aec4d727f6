import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { openSqliteStore, type StoreDeps } from "../src/index.js";
import { checkpointContract } from "./support/contract-checkpoints.js";
import { sessionAndLogContract } from "./support/contract-log.js";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

// A real database file per store.
const factory = async (deps: StoreDeps) => {
  const dir = await mkdtemp(join(tmpdir(), "toad-sqlite-"));
  dirs.push(dir);
  return openSqliteStore({ ...deps, path: join(dir, "toad.db") });
};

sessionAndLogContract("sqlite", factory);
checkpointContract("sqlite", factory);
