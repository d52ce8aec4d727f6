import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { findRepositoryRoot } from "@toad/agent";
import { type IndexProgress, IndexStore, indexRepository, repoMap, search } from "@toad/context";
import { type Command, type CommandIo, parseFlags } from "../command.js";
import { CliError, EXIT } from "../errors.js";

/**
 * `toad index`, `toad map`, `toad search`: the context engine from the shell.
 * The index lives in `<repo>/.toad/index.sqlite` and is updated incrementally
 * (only changed files are parsed again).
 */

async function openIndex(start: string): Promise<{ root: string; store: IndexStore }> {
  const root = await findRepositoryRoot(resolve(start));
  const path = IndexStore.defaultPath(root);
  mkdirSync(dirname(path), { recursive: true });
  return { root, store: IndexStore.open(path) };
}

/** Brings the index up to date, drawing a progress bar on a terminal. */
async function refresh(root: string, store: IndexStore, io: CommandIo, quiet: boolean) {
  const tty = (io.stderr as { isTTY?: boolean }).isTTY === true && !quiet;
  let last = 0;
  const progress = (event: IndexProgress) => {
    if (!tty || event.phase !== "index" || event.total === 0) return;
    const now = Date.now();
    if (now - last < 80 && event.done < event.total) return;
    last = now;
    const width = 30;
    const filled = Math.round((event.done / event.total) * width);
    io.stderr.write(
      `\r[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${event.done}/${event.total} files`,
    );
  };
  const result = await indexRepository(root, store, progress);
  if (tty) io.stderr.write("\r\x1b[K");
  return result;
}

function intOption(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new CliError(`--${name} must be a positive integer`);
  return number;
}

export const indexCommand: Command = {
  name: "index",
  summary: "index the repository for the repo map and search (incremental)",
  async run(argv, io) {
    const usage = "toad index [path] [--quiet]";
    const { values, positionals } = parseFlags(`Usage: ${usage}`, () =>
      parseArgs({
        args: argv,
        strict: true,
        allowPositionals: true,
        options: { quiet: { type: "boolean" } },
      }),
    );
    const { root, store } = await openIndex(positionals[0] ?? io.cwd);
    try {
      const result = await refresh(root, store, io, values.quiet === true);
      io.stdout.write(
        `indexed ${root}: ${result.files} files (${result.indexed} parsed, ${result.unchanged} unchanged, ` +
          `${result.removed} removed), ${result.symbols} symbols in ${(result.durationMs / 1000).toFixed(1)} s\n`,
      );
      for (const error of result.errors.slice(0, 10))
        io.stderr.write(`toad: skipped ${JSON.stringify(error)}\n`);
      return EXIT.ok;
    } finally {
      store.close();
    }
  },
};

export const mapCommand: Command = {
  name: "map",
  summary: "print the ranked repository map (--tokens N, --focus FILE…)",
  async run(argv, io) {
    const usage = "toad map [--tokens N] [--focus FILE]…";
    const { values } = parseFlags(`Usage: ${usage}`, () =>
      parseArgs({
        args: argv,
        strict: true,
        options: { tokens: { type: "string" }, focus: { type: "string", multiple: true } },
      }),
    );
    const { root, store } = await openIndex(io.cwd);
    try {
      await refresh(root, store, io, true);
      const focus = values.focus ?? [];
      const map = repoMap(store, {
        tokenBudget: intOption("tokens", values.tokens, 2048),
        ...(focus.length > 0 && { focusFiles: focus }),
      });
      io.stdout.write(map.text.endsWith("\n") ? map.text : `${map.text}\n`);
      return EXIT.ok;
    } finally {
      store.close();
    }
  },
};

export const searchCommand: Command = {
  name: "search",
  summary: 'search the code: ranked results with the reason each was chosen ("query")',
  async run(argv, io) {
    const usage = 'toad search "query" [--limit N] [--tokens N] [--json]';
    const { values, positionals } = parseFlags(`Usage: ${usage}`, () =>
      parseArgs({
        args: argv,
        strict: true,
        allowPositionals: true,
        options: { limit: { type: "string" }, tokens: { type: "string" }, json: { type: "boolean" } },
      }),
    );
    const query = positionals.join(" ").trim();
    if (query === "") throw new CliError(`no query\nUsage: ${usage}`);
    const { root, store } = await openIndex(io.cwd);
    try {
      await refresh(root, store, io, true);
      const found = await search(store, query, {
        limit: intOption("limit", values.limit, 10),
        tokenBudget: intOption("tokens", values.tokens, 4000),
      });
      if (values.json) {
        io.stdout.write(`${JSON.stringify(found.items)}\n`);
        return EXIT.ok;
      }
      if (found.items.length === 0) io.stdout.write("no results\n");
      for (const [rank, item] of found.items.entries()) {
        const where = `${item.path}:${item.startLine}-${item.endLine}`;
        const symbol = item.symbol ? ` ${item.symbol}` : "";
        io.stdout.write(`${rank + 1}. ${where}${symbol}  (score ${item.score.toFixed(3)})\n`);
        io.stdout.write(`   why: ${item.reasons.join("; ")}\n`);
      }
      return EXIT.ok;
    } finally {
      store.close();
    }
  },
};
