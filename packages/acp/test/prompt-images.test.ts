import { promptFromBlocks } from "@toad/acp";
import { describe, expect, it } from "vitest";

/** A 1×1 PNG: the smallest real image the sniffer accepts. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==",
  "base64",
);
const signal = new AbortController().signal;

describe("an editor's image blocks", () => {
  it("become the user message's images, typed from their bytes", async () => {
    const result = await promptFromBlocks(
      [
        { type: "text", text: "what is wrong in this screenshot?" },
        // The editor says JPEG; the bytes say PNG, and the bytes win.
        { type: "image", data: PNG.toString("base64"), mimeType: "image/jpeg", uri: "file:///shot.png" },
      ],
      [],
      signal,
    );
    expect(result).toMatchObject({ ok: true, text: "what is wrong in this screenshot?" });
    if (!result.ok) throw new Error(result.message);
    expect(result.images).toHaveLength(1);
    expect(result.images[0]).toMatchObject({
      mediaType: "image/png",
      dataBase64: PNG.toString("base64"),
      source: "file:///shot.png",
    });
    expect(result.images[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("that are not images are named in the text, not sent", async () => {
    const result = await promptFromBlocks(
      [
        { type: "text", text: "look" },
        { type: "image", data: Buffer.from("not an image").toString("base64"), mimeType: "image/png" },
      ],
      [],
      signal,
    );
    if (!result.ok) throw new Error(result.message);
    expect(result.images).toEqual([]);
    expect(result.text).toContain("[image pasted image not sent: not a PNG, JPEG, GIF or WebP image]");
  });

  it("make a prompt with no text still a prompt", async () => {
    const result = await promptFromBlocks(
      [{ type: "image", data: PNG.toString("base64"), mimeType: "image/png" }],
      [],
      signal,
    );
    expect(result.ok && result.images.length).toBe(1);
    expect(await promptFromBlocks([], [], signal)).toEqual({ ok: false, message: "the prompt is empty" });
  });
});
