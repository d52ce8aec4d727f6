import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { attachImages } from "../../src/images.js";
import { SessionController } from "../../src/ui/controller/session-controller.js";
import { type UiFixture, uiFixture } from "./fixture.js";

/** A 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==",
  "base64",
);

let fx: UiFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

/** The UI's controller with the image attachment the interactive `toad` wires in. */
async function sendWithImages(file: Buffer) {
  fx = await uiFixture([{ content: [{ type: "text", text: "A single pixel." }] }]);
  await writeFile(join(fx.repo, "shot.png"), file);
  const repo = fx.repo;
  const controller = new SessionController({
    runner: fx.runner,
    store: fx.store,
    ui: fx.ui,
    cwd: repo,
    attachImages: (prompt) => attachImages(prompt, repo),
  });
  controller.submit("what is in ./shot.png");
  await controller.idle();
  const body = JSON.stringify(fx.llm.requests[0]?.body);
  const notices = fx.ui.getState().items.flatMap((item) => (item.kind === "notice" ? [item.text] : []));
  return { body, notices };
}

describe("images named in an interactive prompt", () => {
  it("go to the model with the prompt", async () => {
    const { body, notices } = await sendWithImages(PNG);
    expect(body).toContain('"type":"image"');
    expect(body).toContain(PNG.toString("base64"));
    expect(notices).toEqual([]);
  });

  it("that are not images are named in a notice, not sent", async () => {
    const { body, notices } = await sendWithImages(Buffer.from("not a picture"));
    expect(body).not.toContain('"type":"image"');
    expect(notices).toEqual(["./shot.png is not a PNG, JPEG, GIF or WebP image; not sent"]);
  });
});
