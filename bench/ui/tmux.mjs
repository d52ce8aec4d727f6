// A private tmux server (its own socket) running one command in a fixed-size pane:
// keys in with send-keys, the screen out with capture-pane. The bench's copy of
// cli/test/ui/tmux.ts (plain JavaScript, so the bench runs on the built code alone).

import { execFileSync, spawnSync } from "node:child_process";

export function tmuxAvailable() {
  return spawnSync("tmux", ["-V"]).status === 0;
}

export function startPane(command, { columns, rows, name }) {
  const socket = `toad-bench-${process.pid}-${name}`;
  const tmux = (...args) => execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8" });
  tmux("new-session", "-d", "-s", "main", "-x", String(columns), "-y", String(rows), command);
  const screen = () => tmux("capture-pane", "-p", "-t", "main");
  return {
    send: (...keys) => void tmux("send-keys", "-t", "main", ...keys),
    /** One literal character or string, as typed. */
    type: (text) => void tmux("send-keys", "-t", "main", "-l", text),
    screen,
    /** Polls the visible screen until `check(screen)` holds; returns the milliseconds it took. */
    async until(check, what, timeoutMs = 20_000) {
      const started = performance.now();
      for (;;) {
        const shown = screen();
        if (check(shown)) return performance.now() - started;
        if (performance.now() - started > timeoutMs)
          throw new Error(`timed out waiting for ${what}; the screen:\n${shown}`);
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    kill: () => void spawnSync("tmux", ["-L", socket, "kill-server"]),
  };
}

/** A shell command line that runs `argv` in `cwd` with exactly `env`. */
export function commandLine(argv, env, cwd) {
  const quote = (value) => `'${String(value).replace(/'/g, "'\\''")}'`;
  const vars = Object.entries(env)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${quote(value)}`);
  return `cd ${quote(cwd)} && env -i ${vars.join(" ")} ${argv.map(quote).join(" ")}; sleep 60`;
}
