import type { SessionStore } from "@toad/store";
import type { OutputFormat } from "./args.js";
import { EXIT, type ExitCode } from "./errors.js";
import type { Writable } from "./output.js";

/** `toad sessions`: the sessions of this directory (or all), newest first. */
export async function listSessions(
  store: SessionStore,
  options: { cwd: string; all: boolean; outputFormat: OutputFormat },
  stdout: Writable,
): Promise<ExitCode> {
  const sessions = await store.list(options.all ? { limit: 200 } : { cwd: options.cwd, limit: 200 });
  if (options.outputFormat !== "text") {
    stdout.write(`${JSON.stringify(sessions)}\n`);
    return EXIT.ok;
  }
  if (sessions.length === 0) {
    stdout.write(
      options.all
        ? "no sessions yet\n"
        : `no sessions in ${options.cwd} (toad sessions --all lists every one)\n`,
    );
    return EXIT.ok;
  }
  for (const session of sessions) {
    const when = new Date(session.updatedAt).toISOString().replace("T", " ").slice(0, 16);
    const cost = `$${session.costUsd.toFixed(4)}`;
    const where = options.all ? `  ${session.cwd}` : "";
    stdout.write(`${session.id}  ${when}  ${cost.padStart(9)}  ${session.title || "(untitled)"}${where}\n`);
  }
  return EXIT.ok;
}
