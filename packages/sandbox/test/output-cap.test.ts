import { describe, expect, it } from "vitest";
import { HeadTailBuffer } from "../src/index.js";

describe("HeadTailBuffer", () => {
  it("returns everything when under the cap", () => {
    const buffer = new HeadTailBuffer(100);
    buffer.push(Buffer.from("hello "));
    buffer.push(Buffer.from("world"));
    expect(buffer.truncated).toBe(false);
    expect(buffer.text()).toBe("hello world");
  });

  it("keeps the head and the tail and marks the cut with the omitted byte count", () => {
    const buffer = new HeadTailBuffer(10);
    for (const chunk of ["abc", "defgh", "ijklmnop", "qrstu", "vwxyz"]) buffer.push(Buffer.from(chunk));
    expect(buffer.totalBytes).toBe(26);
    expect(buffer.truncated).toBe(true);
    expect(buffer.text()).toBe("abcde\n[... 16 bytes omitted ...]\nvwxyz");
  });

  it("holds bounded memory for a long stream of small chunks", () => {
    const buffer = new HeadTailBuffer(64);
    for (let i = 0; i < 100_000; i++) buffer.push(Buffer.from(`${i}\n`));
    const text = buffer.text();
    expect(text.startsWith("0\n1\n2\n")).toBe(true);
    expect(text.endsWith("99998\n99999\n")).toBe(true);
    expect(text).toMatch(/\[\.\.\. \d+ bytes omitted \.\.\.\]/);
  });
});
