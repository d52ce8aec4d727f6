import { execFileSync, spawnSync } from "node:child_process";
import { afterEach, beforeAll } from "vitest";
import { assertBuilt } from "../harness.js";

/** A private tmux server (its own socket) running one command in a fixed-size pane. */
export interface TmuxPane {
  send(...keys: string[]): void;
  /** Literal text, key by key as typed. */
  type(text: string): void;
  screen(): string;
  /** Polls the screen until it contains `text`; returns the milliseconds it took. */
  waitFor(text: string, timeoutMs?: number): Promise<number>;
  kill(): void;
}

export function tmuxAvailable(): boolean {
  return spawnSync("tmux", ["-V"]).status === 0;
}

export function startPane(
  command: string,
  options: { columns: number; rows: number; name: string },
): TmuxPane {
  const socket = `toad-e2e-${process.pid}-${options.name}`;
  const tmux = (...args: string[]) => execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8" });
  tmux("new-session", "-d", "-s", "main", "-x", String(options.columns), "-y", String(options.rows), command);
  const screen = () => tmux("capture-pane", "-p", "-t", "main", "-S", "-400");
  return {
    send: (...keys) => void tmux("send-keys", "-t", "main", ...keys),
    type: (text) => {
      for (const char of text) tmux("send-keys", "-t", "main", "-l", char);
    },
    screen,
    async waitFor(text, timeoutMs = 15_000) {
      const started = performance.now();
      for (;;) {
        const shown = screen();
        if (shown.includes(text)) return performance.now() - started;
        if (performance.now() - started > timeoutMs) {
          throw new Error(`timed out waiting for ${JSON.stringify(text)} in the terminal:\n${shown}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    kill: () => {
      spawnSync("tmux", ["-L", socket, "kill-server"]);
    },
  };
}

/** A shell command line that runs `argv` with exactly `env` (nothing inherited from the test runner). */
export function commandLine(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): string {
  const quote = (value: string) => `'${value.replace(/'/g, "'\\''")}'`;
  const vars = Object.entries(env)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${quote(value)}`);
  return `cd ${quote(cwd)} && env -i ${vars.join(" ")} ${argv.map(quote).join(" ")}; echo "EXITED $?"; sleep 60`;
}

/** What a tmux test starts, stopped after each test: its panes, and whatever it hands to `track`. */
export interface TmuxBed {
  panes: TmuxPane[];
  /** Returns `thing`, stopped with `stop` after the test (the last tracked first). */
  track<T>(thing: T, stop: (thing: T) => unknown): T;
}

/** Call at the top of a tmux test file: checks the built binary once and cleans up after each test. */
export function tmuxBed(): TmuxBed {
  const panes: TmuxPane[] = [];
  const stops: (() => unknown)[] = [];
  beforeAll(() => {
    if (tmuxAvailable()) assertBuilt();
  });
  afterEach(async () => {
    for (const pane of panes.splice(0)) pane.kill();
    for (const stop of stops.splice(0).reverse()) await stop();
  });
  return {
    panes,
    track(thing, stop) {
      stops.push(() => stop(thing));
      return thing;
    },
  };
}
