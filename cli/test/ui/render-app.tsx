import type { ScriptedTurn } from "@toad/testkit";
import { render } from "ink-testing-library";
import { afterEach } from "vitest";
import { fromLastSummary } from "../../src/runtime.js";
import { App } from "../../src/ui/components/App.js";
import { compactSession } from "../../src/ui/controller/compact.js";
import { expandMentions, listFiles } from "../../src/ui/controller/files.js";
import { openPromptHistory } from "../../src/ui/state/history.js";
import { stripAnsi } from "./events.js";
import { MODEL, type UiFixture, uiFixture, until } from "./fixture.js";

export interface AppHarness {
  stdin: { write(data: string): void };
  stdout: { frames: string[] };
  unmount(): void;
  lastFrame(): string | undefined;
  /** The last frame without colours. */
  frame(): string;
  /** Times the app asked to quit. */
  exits: number[];
  type(text: string): Promise<void>;
  press(sequence: string): Promise<void>;
  waitFor(text: string, timeoutMs?: number): Promise<void>;
}

/** The whole app over a real fixture, in ink-testing-library's headless terminal (100 columns). */
export async function renderApp(fx: UiFixture, options: { compact?: boolean } = {}): Promise<AppHarness> {
  const history = await openPromptHistory(undefined);
  const exits: number[] = [];
  const app = render(
    <App
      ui={fx.ui}
      controller={fx.controller}
      store={fx.store}
      cwd={fx.repo}
      models={[MODEL, "claude-opus-4-5"]}
      contextWindow={(model) => (model === MODEL ? 200_000 : undefined)}
      history={history}
      {...(options.compact && {
        compact: () =>
          compactSession({
            store: fx.store,
            runner: fx.runner,
            model: fx.model,
            controller: fx.controller,
            ui: fx.ui,
            contextWindow: () => 200_000,
            conversationStart: fromLastSummary,
          }),
      })}
      listFiles={listFiles}
      submitPrompt={async (text) => {
        const expanded = await expandMentions(text, fx.repo);
        fx.controller.submit(expanded.prompt);
      }}
      onExit={() => exits.push(Date.now())}
    />,
  );
  const frame = () => stripAnsi(app.lastFrame() ?? "");
  return {
    stdin: app.stdin,
    stdout: app.stdout,
    unmount: app.unmount,
    lastFrame: app.lastFrame,
    frame,
    exits,
    /** Types text key by key, as a person would (each key its own input chunk). */
    async type(text: string) {
      for (const char of text) {
        app.stdin.write(char);
        await tick();
      }
    },
    async press(sequence: string) {
      app.stdin.write(sequence);
      await tick();
    },
    async waitFor(text: string, timeoutMs = 5000) {
      await until(() => frame().includes(text), timeoutMs, `"${text}" on screen\n--- screen ---\n${frame()}`);
    },
  };
}

export const KEY = {
  enter: "\r",
  esc: "\u001b",
  tab: "\t",
  ctrlC: "\u0003",
  ctrlP: "\u0010",
  ctrlO: "\u000f",
  up: "\u001b[A",
  down: "\u001b[B",
  left: "\u001b[D",
};

export const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

export type StartApp = (
  turns: ScriptedTurn[],
  files?: Record<string, string>,
  options?: { compact?: boolean; before?(fx: UiFixture): Promise<void> },
) => Promise<{ fx: UiFixture; app: AppHarness }>;

/**
 * One app per test, each over its own fixture, unmounted and closed after
 * the test: call at the top of a test file, then in a test
 * `const { fx, app } = await startApp(turns, files)`.
 */
export function appPerTest(): StartApp {
  let running: { fx: UiFixture; app: AppHarness } | undefined;
  afterEach(async () => {
    running?.app.unmount();
    await running?.fx.close();
    running = undefined;
  });
  return async (turns, files = {}, options = {}) => {
    const fx = await uiFixture(turns, files);
    await options.before?.(fx);
    running = { fx, app: await renderApp(fx, options) };
    return running;
  };
}
