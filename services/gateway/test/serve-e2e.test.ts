import { mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockLlm } from "@toad/testkit";
import { describe, expect, it } from "vitest";
import { freePort } from "../../../packages/platform/test/support/servers.js";
import { SCRIPTED_MODEL } from "./support/scripted.js";
import { assertCliBuilt, finished, makeRepo, spawnToad } from "./support/toad.js";

describe("toad serve", () => {
  it("serves every service behind one port on embedded stores; tokens and sessions survive a restart", async () => {
    assertCliBuilt();
    const dir = await realpath(await mkdtemp(join(tmpdir(), "toad-serve-")));
    const llm = await startMockLlm(SCRIPTED_MODEL);
    const port = await freePort();
    const serverEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: join(dir, "server-home"),
      TOAD_DATA_DIR: join(dir, "server-data"),
      TOAD_CONFIG_HOME: join(dir, "server-config"),
      ANTHROPIC_API_KEY: "sk-ant-test",
      ANTHROPIC_BASE_URL: llm.url,
    };
    const repo = await makeRepo(dir, { "notes.md": "serve me\n" });
    const start = async () => {
      const server = spawnToad(["serve", "--port", String(port), "--metrics-port", "0"], {
        cwd: dir,
        env: serverEnv,
      });
      let out = "";
      await new Promise<void>((resolve, reject) => {
        server.stdout?.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes("gateway on")) setTimeout(resolve, 50);
        });
        server.once("exit", (code) => reject(new Error(`toad serve exited ${code}: ${out}`)));
      });
      return { server, out };
    };
    try {
      const first = await start();
      const token = /admin API token \(shown once; keep it\): (\S+)/.exec(first.out)?.[1];
      expect(token).toMatch(/^toad_/);
      const client = (prompt: string, ...flags: string[]) =>
        finished(
          spawnToad(
            ["-p", prompt, "--gateway", `127.0.0.1:${port}`, "--model", "claude-sonnet-4-5", ...flags],
            {
              cwd: repo,
              env: {
                PATH: process.env.PATH,
                HOME: join(dir, "dev-home"),
                TOAD_DATA_DIR: join(dir, "dev-data"),
                TOAD_TOKEN: token,
              },
            },
          ),
        );
      const run = await client("read notes.md", "--output-format", "json");
      expect(run).toMatchObject({ code: 0, stderr: "" });
      const summary = JSON.parse(run.stdout) as { sessionId: string; text: string };
      expect(summary.text).toContain("serve me");

      const stopped = finished(first.server);
      first.server.kill("SIGTERM");
      expect((await stopped).code).toBe(0);

      const second = await start();
      expect(second.out).not.toContain("admin API token");
      // Tokens, ownership and sessions survived the restart: --continue finds the same session.
      const again = await client("say hi", "-c", "--output-format", "json");
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ sessionId: summary.sessionId, text: "hi" });
      // An image the prompt names crosses the gateway with it and reaches the model.
      const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
      await writeFile(join(repo, "shot.png"), png);
      const looked = await client("what is in ./shot.png", "-c");
      expect(looked).toMatchObject({ code: 0, stderr: "" });
      const bodies = llm.requests.map((request) => JSON.stringify(request.body));
      expect(bodies.at(-1)).toContain(png.toString("base64"));
      const done = finished(second.server);
      second.server.kill("SIGTERM");
      expect((await done).code).toBe(0);
    } finally {
      await llm.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 40_000);
});
