import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MockLlmServer, startMockLlm } from "@toad/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { parseCliArgs } from "../src/args.js";
import { runHeadless } from "../src/headless.js";
import { openEmbeddedRuntime } from "../src/runtime.js";

/**
 * `toad -p "what is in ./shot.png"` in this process (the embedded runtime on
 * a temp SQLite store), against the scripted model server: the image goes
 * with the prompt, and a file that cannot be sent is reported, not dropped
 * silently.
 */
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

let llm: MockLlmServer | undefined;
let root: string | undefined;
afterEach(async () => {
  await llm?.close();
  if (root) await rm(root, { recursive: true, force: true });
  llm = undefined;
  root = undefined;
});

async function toadP(prompt: string, files: Record<string, string | Buffer>) {
  llm = await startMockLlm({ script: { turns: [{ content: [{ type: "text", text: "A red square." }] }] } });
  root = await realpath(await mkdtemp(join(tmpdir(), "toad-headless-img-")));
  const repo = join(root, "repo");
  await mkdir(join(repo, ".git"), { recursive: true });
  for (const [path, content] of Object.entries(files)) await writeFile(join(repo, path), content);
  const env = {
    PATH: process.env.PATH,
    TOAD_DATA_DIR: join(root, "data"),
    TOAD_CONFIG_HOME: join(root, "config"),
    ANTHROPIC_API_KEY: "k",
    ANTHROPIC_BASE_URL: llm.url,
  };
  const out = { stdout: "", stderr: "" };
  const args = parseCliArgs(["-p", prompt, "--model", "claude-sonnet-4-6"], repo);
  if (args.command !== "run") throw new Error("expected a run");
  const runtime = await openEmbeddedRuntime({ cwd: repo, env, stderr: { write: () => true } });
  try {
    const code = await runHeadless(args, runtime, {
      stdout: { write: (chunk: string) => (out.stdout += chunk) },
      stderr: { write: (chunk: string) => (out.stderr += chunk) },
      readStdin: async () => "",
      signal: new AbortController().signal,
      env,
    });
    return { code, ...out, request: llm.requests[0] };
  } finally {
    await runtime.close();
  }
}

describe("toad -p with an image path", () => {
  it("sends the image the prompt names", async () => {
    const run = await toadP("what is in ./shot.png", { "shot.png": Buffer.from(PNG, "base64") });
    expect(run).toMatchObject({ code: 0, stdout: "A red square.\n", stderr: "" });
    const body = run.request?.body as { messages: { content: unknown[] }[] };
    expect(body.messages[0]?.content[0]).toEqual({
      type: "image",
      source: { type: "base64", media_type: "image/png", data: PNG },
    });
  });

  it("reports an image file it cannot send and sends the prompt without it", async () => {
    const run = await toadP("what is in ./shot.png", { "shot.png": "not an image\n" });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("toad: ./shot.png is not a PNG, JPEG, GIF or WebP image; not sent");
    expect(run.request?.rawBody).not.toContain('"type":"image"');
  });
});
