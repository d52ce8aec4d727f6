import type { UserImage } from "@toad/core";
import { imagesForPrompt } from "@toad/extensions";

/** The images a prompt names (`./shot.png`) to send with it, and a notice for each file that cannot be sent. */
export async function attachImages(
  prompt: string,
  cwd: string,
): Promise<{ images: UserImage[]; notices: string[] }> {
  const { images, problems } = await imagesForPrompt(prompt, cwd);
  return { images, notices: problems.map((problem) => `${problem.path} ${problem.message}; not sent`) };
}
