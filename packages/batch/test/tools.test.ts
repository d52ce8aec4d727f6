import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { instanceTools } from "../src/index.js";
import { tempDir } from "./helpers.js";

let root: { path: string; cleanup(): Promise<void> };
beforeAll(async () => {
  root = await tempDir("toad-batch-tools-");
});
afterAll(async () => {
  await root?.cleanup();
});

const options = (testSelection: boolean) => ({
  workspaceRoot: root.path,
  beforeWrite: async () => undefined,
  logger: { warn: () => undefined },
  testSelection,
});

describe("an instance's tools", () => {
  it("refuse any call that asks for the network, before it runs", async () => {
    const { tools } = await instanceTools(options(true));
    const call = {
      callId: "c1",
      name: "bash",
      argumentsJson: JSON.stringify({ command: "true", network: true }),
    };
    const prepared = tools.prepare(call, new AbortController().signal);
    expect(prepared).toEqual({
      ok: false,
      outcome: { ok: false, errorKind: "denied", message: "Network access is off in batch runs." },
    });
    const offline = tools.prepare(
      { ...call, argumentsJson: JSON.stringify({ command: "true" }) },
      new AbortController().signal,
    );
    expect(offline.ok).toBe(true);
  });

  it("offer run_tests only when test selection is on", async () => {
    const names = async (on: boolean) =>
      (await instanceTools(options(on))).tools.specs().map((spec) => spec.name);
    expect(await names(true)).toContain("run_tests");
    const off = await names(false);
    expect(off).not.toContain("run_tests");
    expect(off).toContain("apply_patch");
  });

  it("run commands without network in bubblewrap when it works here", async () => {
    const { sandbox } = await instanceTools(options(true));
    if (sandbox.driver !== "bubblewrap") {
      process.stderr.write(`[batch] bubblewrap is not usable here: ${sandbox.summary}\n`);
      return;
    }
    expect(sandbox.networkIsolated).toBe(true);
  });
});
