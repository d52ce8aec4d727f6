import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createLocalSandbox, ProcessDriver } from "../src/index.js";
import { driverContract } from "./contract.js";

describe("ProcessDriver (no isolation)", () => {
  const fixture = driverContract(async (workspace) => new ProcessDriver({ workspaceRoot: workspace }));

  it("describes itself as unisolated", () => {
    expect(fixture().driver.describe()).toMatchObject({
      driver: "process",
      filesystemIsolated: false,
      networkIsolated: false,
    });
  });
});

describe("createLocalSandbox fallback", () => {
  it("falls back to plain processes with a warning through the logger when bwrap is missing", async () => {
    const workspace = await mkdtemp(path.join(tmpdir(), "toad-sandbox-"));
    try {
      const warnings: string[] = [];
      const driver = await createLocalSandbox({
        workspaceRoot: workspace,
        bwrapPath: "/nonexistent/bwrap",
        logger: { warn: (message) => warnings.push(message) },
      });
      expect(driver.describe().driver).toBe("process");
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/bwrap was not found.*NO filesystem or network isolation/);
      const result = await driver.exec({ command: "echo ok" });
      expect(result.stdout).toBe("ok\n");
    } finally {
      await rm(workspace, { recursive: true, force: true });
    }
  });
});
