import type { UserImage } from "@toad/core";
import { imagesForPrompt } from "@toad/extensions";

/**
 * The images a prompt names (`./shot.png`) to send with it, and a notice for
 * each file that cannot be sent, or for all of them when the backend takes
 * none (a gateway's SendMessage has no field for images yet).
 */
export async function attachImages(
  prompt: string,
  cwd: string,
  sendsImages: boolean,
): Promise<{ images: UserImage[]; notices: string[] }> {
  const { images, problems } = await imagesForPrompt(prompt, cwd);
  const notices = problems.map((problem) => `${problem.path} ${problem.message}; not sent`);
  if (images.length === 0 || sendsImages) return { images, notices };
  const names = images.map((image) => image.source).join(", ");
  return { images: [], notices: [...notices, `images cannot go through a gateway yet; ${names} not sent`] };
}
