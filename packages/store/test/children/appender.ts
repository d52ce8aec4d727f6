/**
 * A child process for the multi-process tests: opens the store at argv[2],
 * creates session argv[3] unless it exists, and appends `text_delta` events
 * ("<tag> <i>") — argv[4] of them, or forever when argv[4] is "forever" —
 * writing each seq to stdout only after its append has returned.
 */
import { openSqliteStore } from "../../src/index.js";

const [path, sessionId, countArg, tag = "event"] = process.argv.slice(2);
if (path === undefined || sessionId === undefined || countArg === undefined) {
  process.stderr.write("usage: appender <db> <session> <count|forever> [tag]\n");
  process.exit(2);
}
const count = countArg === "forever" ? Number.POSITIVE_INFINITY : Number(countArg);
const store = openSqliteStore({ path });
try {
  await store.create({ id: sessionId, cwd: "/work", model: "scripted", permissionMode: "ask" });
} catch (error) {
  if (!(error instanceof Error && "code" in error && error.code === "session_exists")) throw error;
}
for (let i = 1; i <= count; i++) {
  const event = await store.append(sessionId, { type: "text_delta", text: `${tag} ${i}` });
  process.stdout.write(`${event.seq} ${tag} ${i}\n`);
}
await store.close();
