import { appendFileSync } from "node:fs";
import { join } from "node:path";
import type { PermissionMode } from "@toad/core";
import { openWorktree } from "@toad/extensions";
import { SessionNotFoundError } from "@toad/session";
import { storeLocation } from "@toad/store";
import { render } from "ink";
import type { CommandIo } from "../command.js";
import { CliError, EXIT, type ExitCode } from "../errors.js";
import { attachImages } from "../images.js";
import { openBackend, type UiBackend } from "./backend.js";
import { App } from "./components/App.js";
import { expandMentions, listFiles } from "./controller/files.js";
import { SessionController } from "./controller/session-controller.js";
import { preloadHighlighter } from "./render/highlight.js";
import { openPromptHistory } from "./state/history.js";
import { initialState } from "./state/reducer.js";
import { followAlternateScreen } from "./state/screen.js";
import { createUiStore } from "./state/store.js";

/** Pastes arrive between markers, so a pasted line break is not an Enter. */
const BRACKETED_PASTE_ON = "\u001b[?2004h";
const BRACKETED_PASTE_OFF = "\u001b[?2004l";

export interface InteractiveOptions {
  cwd: string;
  model: string | undefined;
  permissionMode: PermissionMode | undefined;
  continueLatest: boolean;
  /** A session id; "" opens the picker. */
  resume: string | undefined;
  /** `--gateway URL` (else TOAD_GATEWAY_URL): sessions run in that cluster; nothing local is opened. */
  gateway?: string | undefined;
  /** `--worktree NAME`: work in the git worktree `.toad/worktrees/NAME`. */
  worktree?: string | undefined;
}

type TtyIo = CommandIo & { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream };

function isTty(io: CommandIo): io is TtyIo {
  return (io.stdin as NodeJS.ReadStream).isTTY === true && (io.stdout as NodeJS.WriteStream).isTTY === true;
}

/** `toad`: the interactive terminal UI, over the embedded runtime or a gateway. */
export async function runInteractive(given: InteractiveOptions, io: CommandIo): Promise<ExitCode> {
  if (!isTty(io))
    throw new CliError('the interactive UI needs a terminal; run a task headless with toad -p "task"');
  const options = await inWorktree(given, io);
  const backend = await openBackend({
    cwd: options.cwd,
    env: io.env,
    stderr: io.stderr,
    gateway: options.gateway,
  });
  try {
    return await runApp(options, io, backend);
  } catch (error) {
    throw backend.describe(error);
  } finally {
    await backend.close();
  }
}

/** `--worktree NAME`: the session works in that git worktree (created from HEAD on first use). */
async function inWorktree(options: InteractiveOptions, io: CommandIo): Promise<InteractiveOptions> {
  if (options.worktree === undefined) return options;
  const opened = await openWorktree(options.cwd, options.worktree);
  if (!opened.ok) throw new CliError(`--worktree: ${opened.message}`, EXIT.usage);
  const { worktree } = opened;
  io.stderr.write(
    `toad: in worktree ${worktree.path} (branch ${worktree.branch}${worktree.created ? ", new" : ""})\n`,
  );
  return { ...options, cwd: worktree.path };
}

async function runApp(options: InteractiveOptions, io: TtyIo, backend: UiBackend): Promise<ExitCode> {
  const trace = traceWriter(io.env.TOAD_UI_TRACE);
  const { config } = backend;
  const contextWindow = (model: string) => config.models[model]?.contextWindow;
  const ui = createUiStore(
    initialState({
      model: options.model ?? "auto",
      mode: options.permissionMode ?? "ask",
      maxTailLines: Math.max(6, (io.stdout.rows || 24) - 14),
      vim: io.env.TOAD_VIM === "1",
    }),
  );
  const controller = new SessionController({
    runner: backend.runner,
    store: backend.sessions,
    ui,
    cwd: options.cwd,
    attachImages: (prompt) => attachImages(prompt, options.cwd),
  });
  const history = await openPromptHistory(historyPath(io.env));

  try {
    // A restored history is printed once, in the first frame: its code must be highlighted already.
    if (options.resume || options.continueLatest) await preloadHighlighter();
    if (options.resume) await controller.open(options.resume);
    else if (options.continueLatest) {
      const latest = await backend.runner.latest(options.cwd);
      if (!latest) throw new CliError(`no session to continue in ${options.cwd}`);
      await controller.open(latest.id);
    }
  } catch (error) {
    if (error instanceof SessionNotFoundError) throw new CliError(error.message);
    throw error;
  }

  const submitPrompt = async (text: string) => {
    const expanded = await expandMentions(text, options.cwd);
    for (const problem of expanded.problems) ui.dispatch({ type: "notice", level: "warn", text: problem });
    controller.submit(expanded.prompt);
  };

  // Subscribed before the app, so the screen switches before the first frame of a full-screen layout.
  const stopFollowing = followAlternateScreen(ui, (text) => io.stdout.write(text));
  let renders = 0;
  let renderMs = 0;
  let maxRenderMs = 0;
  const instance = render(
    <App
      ui={ui}
      controller={controller}
      store={backend.sessions}
      cwd={options.cwd}
      models={Object.keys(config.models)}
      contextWindow={contextWindow}
      history={history}
      {...(backend.compact && { compact: () => backend.compact?.(controller, ui) ?? Promise.resolve() })}
      modelSwitch={backend.modelSwitch}
      listFiles={listFiles}
      submitPrompt={submitPrompt}
      openPicker={options.resume === ""}
    />,
    {
      stdin: io.stdin,
      stdout: io.stdout,
      stderr: io.stderr as NodeJS.WriteStream,
      exitOnCtrlC: false,
      maxFps: 60,
      onRender: ({ renderTime }) => {
        if (renders === 0) trace?.({ event: "first_frame", sinceStartMs: Math.round(performance.now()) });
        renders++;
        renderMs += renderTime;
        maxRenderMs = Math.max(maxRenderMs, renderTime);
      },
    },
  );
  io.stdout.write(BRACKETED_PASTE_ON);
  try {
    await instance.waitUntilExit();
  } finally {
    stopFollowing();
    io.stdout.write(BRACKETED_PASTE_OFF);
  }
  controller.interrupt();
  await Promise.race([controller.idle(), new Promise((resolve) => setTimeout(resolve, 2000))]);
  trace?.({
    event: "exit",
    renders,
    renderMs: Math.round(renderMs),
    maxRenderMs: Math.round(maxRenderMs * 100) / 100,
  });
  if (controller.sessionId !== undefined)
    io.stdout.write(`Session ${controller.sessionId} · resume with toad --resume ${controller.sessionId}\n`);
  return EXIT.ok;
}

function historyPath(env: NodeJS.ProcessEnv): string | undefined {
  try {
    return join(storeLocation(env).dataDir, "prompt-history.jsonl");
  } catch {
    return undefined;
  }
}

/** TOAD_UI_TRACE=file: timings as JSON lines (first frame, render totals), for benchmarks and e2e tests. */
function traceWriter(path: string | undefined): ((record: Record<string, unknown>) => void) | undefined {
  if (!path) return undefined;
  return (record) => {
    try {
      appendFileSync(path, `${JSON.stringify({ ...record, at: Date.now() })}\n`);
    } catch {
      // Tracing must never break the UI.
    }
  };
}
