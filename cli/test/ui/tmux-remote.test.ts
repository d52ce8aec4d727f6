import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type MockLlmServer, startMockLlm } from "@toad/testkit";
import { describe, expect, it } from "vitest";
import { makeSandbox, TOAD_BIN } from "../harness.js";
import { commandLine, startPane, type TmuxPane, tmuxAvailable, tmuxBed } from "./tmux.js";

/**
 * The interactive UI against `toad serve` (the single-box team server) and in
 * a git worktree: the real built `toad` in tmux, the scripted model server,
 * temp homes and repositories.
 */
const HAS_TMUX = tmuxAvailable();
const MODEL = "claude-sonnet-4-5";

const bed = tmuxBed();

function toad(cwd: string, env: NodeJS.ProcessEnv, args: string[], name: string): TmuxPane {
  const pane = startPane(
    commandLine([process.execPath, TOAD_BIN, ...args], { ...env, TERM: "xterm-256color" }, cwd),
    { columns: 110, rows: 36, name },
  );
  bed.panes.push(pane);
  return pane;
}

/** `toad serve` on a free port; resolves with its address and the admin token it prints. */
async function serve(env: NodeJS.ProcessEnv, cwd: string): Promise<{ address: string; token: string }> {
  const child = spawn(process.execPath, [TOAD_BIN, "serve", "--port", "0", "--metrics-port", "0"], {
    cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  bed.track(child, (it) => it.kill("SIGTERM"));
  let out = "";
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const address = /gateway on (\S+)/.exec(out)?.[1];
      const token = /admin API token \(shown once; keep it\): (\S+)/.exec(out)?.[1];
      if (address && token) resolve({ address, token });
    });
    child.once("exit", (code) => reject(new Error(`toad serve exited ${code}: ${out}`)));
  });
}

/** A scripted model that makes one tool call, then says `text`; closed after the test. */
async function callThenSay(
  name: string,
  args: Record<string, unknown>,
  text: string,
): Promise<MockLlmServer> {
  const turns = [
    { content: [{ type: "tool_call" as const, name, arguments: args }] },
    { content: [{ type: "text" as const, text }] },
  ];
  return bed.track(await startMockLlm({ script: { turns } }), (it) => it.close());
}

describe.skipIf(!HAS_TMUX)("toad interactive, remote and in a worktree (tmux)", () => {
  it("runs the UI over toad serve: the session in the server, the approved edit here, no local store", async () => {
    const llm = await callThenSay(
      "edit_file",
      { path: "calc.js", old_string: "a - b", new_string: "a + b" },
      "Fixed over the gateway.",
    );
    const box = bed.track(
      await makeSandbox({ "calc.js": "exports.add = (a, b) => a - b;\n" }, llm.url),
      (it) => it.cleanup(),
    );
    const { address, token } = await serve(
      { ...box.env, TOAD_DATA_DIR: join(box.root, "server-data") },
      box.root,
    );
    const clientData = join(box.root, "client-data");
    const client = {
      PATH: process.env.PATH,
      HOME: join(box.root, "client-home"),
      TOAD_DATA_DIR: clientData,
      TOAD_GATEWAY_URL: address,
      TOAD_TOKEN: token,
    };
    const pane = toad(box.repo, client, ["--model", MODEL], "remote");
    await pane.waitFor("ask toad");
    pane.type("fix calc");
    pane.send("Enter");
    await pane.waitFor("Apply this edit?");
    expect(pane.screen()).toContain("+exports.add = (a, b) => a + b;");
    pane.send("y");
    await pane.waitFor("Fixed over the gateway.");
    expect(pane.screen()).toContain("✓ edit_file calc.js");
    expect(await readFile(join(box.repo, "calc.js"), "utf8")).toBe("exports.add = (a, b) => a + b;\n");
    pane.send("C-c");
    pane.send("C-c");
    await pane.waitFor("EXITED 0");
    // The session lives in the server's store; the client opened none of its own.
    expect(existsSync(join(clientData, "toad.db"))).toBe(false);
    expect(existsSync(join(box.root, "server-data", "toad.db"))).toBe(true);
  }, 60_000);

  it("refuses a gateway without a token, with a clear message", async () => {
    const llm = bed.track(await startMockLlm({ script: { turns: [] } }), (it) => it.close());
    const box = bed.track(await makeSandbox({}, llm.url), (it) => it.cleanup());
    const pane = toad(box.repo, { ...box.env, TOAD_GATEWAY_URL: "127.0.0.1:1" }, [], "no-token");
    await pane.waitFor("needs an API token: set TOAD_TOKEN");
    await pane.waitFor("EXITED 2");
  }, 30_000);

  it("--worktree NAME works in the git worktree .toad/worktrees/NAME", async () => {
    const llm = await callThenSay("write_file", { path: "new.txt", content: "in the tree\n" }, "Written.");
    const box = bed.track(
      await makeSandbox({ "calc.js": "exports.add = (a, b) => a - b;\n" }, llm.url),
      (it) => it.cleanup(),
    );
    execFileSync("git", ["add", "."], { cwd: box.repo });
    execFileSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "base"], {
      cwd: box.repo,
    });
    const pane = toad(box.repo, box.env, ["--worktree", "feature", "--permission-mode", "auto-edit"], "tree");
    await pane.waitFor("ask toad");
    pane.type("write a file");
    pane.send("Enter");
    await pane.waitFor("Written.");
    const tree = join(box.repo, ".toad", "worktrees", "feature");
    expect(pane.screen()).toContain(tree.slice(-40));
    expect(await readFile(join(tree, "new.txt"), "utf8")).toBe("in the tree\n");
    expect(existsSync(join(box.repo, "new.txt"))).toBe(false);
    expect(
      execFileSync("git", ["branch", "--list", "toad/feature"], { cwd: box.repo, encoding: "utf8" }),
    ).toContain("toad/feature");
  }, 60_000);
});
