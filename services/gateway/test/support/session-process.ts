import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const SESSION_MAIN = fileURLToPath(new URL("../../../session/dist/main.js", import.meta.url));

export interface SessionProcess {
  child: ChildProcess;
  /** Resolves when the process exits, with its exit code and everything it logged. */
  exited: Promise<{ code: number | null; log: string }>;
  log(): string;
}

/** The built session service as its own process, resolved once it serves. */
export async function startSessionProcess(env: NodeJS.ProcessEnv): Promise<SessionProcess> {
  if (!existsSync(SESSION_MAIN)) throw new Error(`${SESSION_MAIN} is missing: run npm run build first`);
  const child = spawn(process.execPath, [SESSION_MAIN], { env, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('"serving')) resolve();
    });
    child.once("exit", () => reject(new Error(`the session service exited:\n${log}`)));
  });
  const exited = new Promise<{ code: number | null; log: string }>((resolve) =>
    child.once("exit", (code) => resolve({ code, log })),
  );
  await ready;
  return { child, exited, log: () => log };
}
