import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import type { OpenAIApiError } from "./helpers.js";

const pkg = fileURLToPath(new URL("..", import.meta.url));
const bin = join(pkg, "bin/toad-mock-llm.js");
const script = join(pkg, "test/fixtures/cli-script.json");

function newestMtime(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((entry) =>
      entry.isDirectory() ? newestMtime(join(dir, entry.name)) : statSync(join(dir, entry.name)).mtimeMs,
    ),
  );
}

// `npm test` builds every package first (turbo run build). When this file runs on
// its own against a missing or stale dist/, build it here so the bin is current.
beforeAll(() => {
  const cli = join(pkg, "dist/cli.js");
  if (existsSync(cli) && statSync(cli).mtimeMs >= newestMtime(join(pkg, "src"))) return;
  const tsc = fileURLToPath(import.meta.resolve("typescript/bin/tsc"));
  const result = spawnSync(process.execPath, [tsc, "-p", join(pkg, "tsconfig.build.json")], {
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`build failed:\n${result.stdout}${result.stderr}`);
}, 60_000);

/** Spawns the bin and resolves with the URL it prints. */
function startBin(args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; url: string }> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: "pipe" });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n")[0];
      if (out.includes("\n") && line !== undefined) resolve({ child, url: line });
    });
    child.once("exit", (code) =>
      reject(new Error(`toad-mock-llm exited (${code}) before listening: ${err}`)),
    );
  });
}

function exitOf(
  child: ChildProcessWithoutNullStreams,
): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

describe("toad-mock-llm (the built bin as a child process)", () => {
  it("serves a script file to the SDKs, prints its URL, and exits 0 on SIGTERM", async () => {
    const { child, url } = await startBin(["--script", script, "--port", "0", "--host", "127.0.0.1"]);
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const anthropic = new Anthropic({ apiKey: "k", baseURL: url, maxRetries: 0 });
      const message = await anthropic.messages
        .stream({ model: "claude-toad-test", max_tokens: 50, messages: [{ role: "user", content: "hello" }] })
        .finalMessage();
      expect(message.content).toEqual([{ type: "text", text: "Hello from the script file." }]);
      expect(message.usage).toMatchObject({ input_tokens: 12, output_tokens: 7, cache_read_input_tokens: 3 });

      const openai = new OpenAI({ apiKey: "k", baseURL: `${url}/v1`, maxRetries: 0 });
      const completion = await openai.chat.completions
        .stream({ model: "gpt-4o", messages: [{ role: "user", content: "read the readme" }] })
        .finalChatCompletion();
      const call = completion.choices[0]?.message.tool_calls?.[0];
      expect(call?.type === "function" && [call.id, call.function.arguments]).toEqual([
        "call_cli_1",
        '{"path":"README.md"}',
      ]);

      const exhausted = await openai.chat.completions
        .create({ model: "gpt-4o", messages: [{ role: "user", content: "more" }] })
        .catch((e: unknown) => e);
      expect((exhausted as OpenAIApiError).status).toBe(500);
    } finally {
      const exited = exitOf(child);
      child.kill("SIGTERM");
      expect(await exited).toEqual({ code: 0, signal: null });
    }
  });

  it("exits 2 with usage on a bad option and on an invalid script", () => {
    const bad = spawnSync(process.execPath, [bin, "--nope"], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/usage: toad-mock-llm/);
    const missing = spawnSync(process.execPath, [bin, "--script", join(pkg, "package.json")], {
      encoding: "utf8",
    });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/"turns" array/);
  });
});
