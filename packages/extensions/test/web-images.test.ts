import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AgentTools } from "@toad/agent";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  imagePathsIn,
  imagesForPrompt,
  loadImage,
  MAX_IMAGES_PER_PROMPT,
  toolsetOf,
  webFetchTool,
} from "../src/index.js";
import { type Harness, say, startHarness, toolCall } from "./harness.js";

const PAGE = `<!doctype html><html><head><title>Widget API &amp; Guide</title><script>track()</script>
<style>body{color:red}</style></head><body><nav><a href="/">Home</a> | <a href="/about">About</a></nav>
<main><h2>Install</h2><p>Run <code>npm i widget</code>, then read <a href="https://widget.dev/docs">the docs</a>.</p>
<ul><li>fast</li><li>small</li></ul><pre><code>widget.start();</code></pre></main>
<footer>© 2026 Widget Inc.</footer></body></html>`;

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((request, response) => {
    switch (request.url) {
      case "/page":
        response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
        return;
      case "/big":
        response.writeHead(200, { "content-type": "text/plain" }).end("x".repeat(300_000));
        return;
      case "/hop":
        response.writeHead(302, { location: "/page" }).end();
        return;
      case "/away":
        response.writeHead(302, { location: "http://evil.example/steal" }).end();
        return;
      case "/logo.png":
        response.writeHead(200, { "content-type": "image/png" }).end(Buffer.alloc(64));
        return;
      default:
        response.writeHead(404, { "content-type": "text/plain" }).end("no");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function fetchWith(tools: AgentTools, url: string) {
  const prepared = tools.prepare(
    { callId: "c1", name: "web_fetch", argumentsJson: JSON.stringify({ url }) },
    new AbortController().signal,
  );
  if (!prepared.ok) return prepared.outcome;
  expect(prepared.call.effect).toBe("network");
  return prepared.call.execute();
}

describe("web_fetch (against a loopback HTTP server)", () => {
  const tools = () => toolsetOf([webFetchTool({ allowedDomains: ["127.0.0.1"], maxChars: 1000 })]);

  it("returns a page as readable markdown without its scripts, styles and furniture", async () => {
    const outcome = await fetchWith(tools(), `${base}/page`);
    expect(outcome).toEqual({
      ok: true,
      output:
        `URL: ${base}/page\n\n# Widget API & Guide\n\n## Install\n\nRun \`npm i widget\`, then read ` +
        "[the docs](https://widget.dev/docs).\n\n* fast\n* small\n\n```\nwidget.start();\n```",
    });
  });

  it("caps the size, follows allowed redirects and refuses the rest with a reason", async () => {
    const big = await fetchWith(tools(), `${base}/big`);
    expect(big.ok && big.output.length).toBeLessThan(1200);
    expect(big.ok && big.output).toMatch(/\[… cut: the page is longer than 1000 characters\]$/);

    const hop = await fetchWith(tools(), `${base}/hop`);
    expect(hop.ok && hop.output).toContain(`URL: ${base}/page`);

    expect(await fetchWith(tools(), `${base}/away`)).toMatchObject({
      ok: false,
      errorKind: "denied",
      message: expect.stringContaining("evil.example is not an allowed domain"),
    });
    expect(await fetchWith(tools(), "https://example.com/")).toMatchObject({
      ok: false,
      errorKind: "invalid_arguments",
      message: expect.stringContaining("example.com is not an allowed domain (allowed: 127.0.0.1)"),
    });
    expect(await fetchWith(tools(), `${base}/logo.png`)).toMatchObject({
      ok: false,
      errorKind: "unsupported_content",
    });
    expect(await fetchWith(tools(), `${base}/missing`)).toMatchObject({ ok: false, errorKind: "http_error" });
    expect(await fetchWith(tools(), "file:///etc/passwd")).toMatchObject({
      ok: false,
      errorKind: "invalid_arguments",
    });
    // With no allow-list, loopback is still out of reach unless listed.
    const open = toolsetOf([webFetchTool()]);
    expect(await fetchWith(open, `${base}/page`)).toMatchObject({
      ok: false,
      message: expect.stringContaining("127.0.0.1 is a local or private address"),
    });
  });
});

describe("web_fetch in sessions", () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it("is offered with web.json's allow-list, and off by default in sandboxed runs", async () => {
    harness = await startHarness(
      [{ content: [toolCall("web_fetch", { url: `${base}/page` })] }, { content: [say("Read it.")] }],
      { "config/web.json": JSON.stringify({ allowedDomains: ["127.0.0.1"] }) },
    );
    const run = await harness.run("read the widget page");
    const result = run.events.find((e) => e.type === "tool_result");
    expect(result).toMatchObject({ isError: false });
    expect(result?.type === "tool_result" && result.output).toContain("## Install");
    await harness.close();

    harness = await startHarness([{ content: [say("No web here.")] }], {}, { sandboxed: true });
    await harness.run("anything");
    const body = harness.llm.requests[0]?.body as { tools?: { name: string }[] } | undefined;
    const tools = (body?.tools ?? []).map((t) => t.name);
    expect(tools).not.toContain("web_fetch");
    expect(tools).toContain("task");
  });
});

// The smallest valid PNG: 1×1, one transparent pixel.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);

describe("image input", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "toad-img-"));
    await writeFile(join(dir, "bug.png"), PNG);
    await writeFile(join(dir, "fake.png"), "this is text\n");
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("finds image paths in a prompt and loads them as image blocks, by content not by name", async () => {
    expect(imagePathsIn("see @shots/bug.png and diagram.JPG, not notes.txt (or bug.png)")).toEqual([
      "shots/bug.png",
      "diagram.JPG",
      "bug.png",
    ]);
    expect(await loadImage("bug.png", dir)).toEqual({
      ok: true,
      path: "bug.png",
      image: {
        mediaType: "image/png",
        sha256: createHash("sha256").update(PNG).digest("hex"),
        dataBase64: PNG.toString("base64"),
        source: "bug.png",
      },
    });
    expect(await loadImage("fake.png", dir)).toMatchObject({
      ok: false,
      message: "is not a PNG, JPEG, GIF or WebP image",
    });
    expect(await loadImage("bug.png", dir, 10)).toMatchObject({
      ok: false,
      message: expect.stringContaining("over 10 bytes"),
    });

    const { images, problems } = await imagesForPrompt("compare @bug.png with fake.png and gone.png", dir);
    expect(images.map((image) => image.mediaType)).toEqual(["image/png"]);
    expect(problems).toEqual([{ path: "fake.png", message: "is not a PNG, JPEG, GIF or WebP image" }]);
  });

  it("sends at most MAX_IMAGES_PER_PROMPT images and reports the rest", async () => {
    const names = Array.from({ length: MAX_IMAGES_PER_PROMPT + 1 }, (_, i) => `shot${i}.png`);
    for (const name of names) await writeFile(join(dir, name), PNG);
    const { images, problems } = await imagesForPrompt(names.join(" "), dir);
    expect(images.map((image) => image.source)).toEqual(names.slice(0, MAX_IMAGES_PER_PROMPT));
    expect(problems).toEqual([
      { path: names.at(-1), message: `is over the limit of ${MAX_IMAGES_PER_PROMPT} images per prompt` },
    ]);
  });
});
