import { EventEmitter } from "node:events";
import type { AgentEventBody } from "@toad/core";
import { render } from "ink";
import { describe, expect, it } from "vitest";
import { App } from "../../src/ui/components/App.js";
import { PRINTED_HISTORY, SessionController } from "../../src/ui/controller/session-controller.js";
import { preloadHighlighter } from "../../src/ui/render/highlight.js";
import { openPromptHistory } from "../../src/ui/state/history.js";
import { initialState } from "../../src/ui/state/reducer.js";
import { createUiStore } from "../../src/ui/state/store.js";
import { stamp, textTurn } from "./events.js";

/** A terminal stand-in: a TTY of 100×40 that counts what Ink writes. */
class FakeTty extends EventEmitter {
  isTTY = true;
  columns = 100;
  rows = 40;
  bytes = 0;
  write = (chunk: string) => {
    this.bytes += chunk.length;
    return true;
  };
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read = () => null;
}

/** `messages` history messages (user and assistant alternating, markdown with code), then `tokens` streamed deltas. */
async function measure(messages: number, tokens: number) {
  await preloadHighlighter();
  const bodies: AgentEventBody[] = [
    { type: "session_started", cwd: "/repo", model: "m", permissionMode: "ask" },
  ];
  for (let turn = 1; bodies.length < 1e9 && turn <= messages / 2; turn++) {
    bodies.push({ type: "user_message", text: `question ${turn}` });
    bodies.push(
      ...textTurn(
        turn,
        `Answer ${turn} with **bold** text.\n\n\`\`\`ts\nconst x${turn} = ${turn};\n\`\`\`\n\nDone.`,
      ),
    );
  }
  // As the app runs: frames coalesced by the store (default 33 ms), a restored history trimmed as on open.
  const ui = createUiStore(initialState());
  const replayStarted = performance.now();
  ui.dispatchAll(stamp(bodies).map((event) => ({ type: "event" as const, event })));
  ui.dispatch({ type: "trim_history", keep: PRINTED_HISTORY });
  const replayMs = performance.now() - replayStarted;

  const stdout = new FakeTty();
  const renderTimes: number[] = [];
  const controller = new SessionController({
    runner: {
      create: () => Promise.reject(new Error("unused")),
      get: () => Promise.reject(new Error("unused")),
      send: () => Promise.reject(new Error("unused")),
    },
    store: undefined as never,
    ui,
    cwd: "/repo",
  });
  const firstStarted = performance.now();
  const instance = render(
    <App
      ui={ui}
      controller={controller}
      store={undefined as never}
      cwd="/repo"
      models={[]}
      contextWindow={() => 200_000}
      history={await openPromptHistory(undefined)}
      listFiles={async () => []}
      submitPrompt={async () => {}}
    />,
    {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: new FakeStdin() as unknown as NodeJS.ReadStream,
      stderr: new FakeTty() as unknown as NodeJS.WriteStream,
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps: 60,
      onRender: ({ renderTime }) => renderTimes.push(renderTime),
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  const firstFrameMs = performance.now() - firstStarted;
  const historyBytes = stdout.bytes;

  const deltas = stamp(
    [
      { type: "user_message", text: "stream please" },
      { type: "turn_start", turn: 9999, model: "m", provider: "p" },
      ...Array.from(
        { length: tokens },
        (_, i): AgentEventBody => ({
          type: "text_delta",
          text: i % 40 === 39 ? "\n\n" : i % 97 === 0 ? "\n```js\nlet a = 1;\n```\n" : `tok${i} `,
        }),
      ),
    ],
    "s1",
    5_000_000,
  );
  renderTimes.length = 0;
  const bytesBefore = stdout.bytes;
  // A model streaming 200 tokens/s: one delta every 5 ms; CPU time is what the UI costs.
  const cpuBefore = process.cpuUsage();
  for (const event of deltas) {
    ui.dispatch({ type: "event", event });
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  ui.flush();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const cpu = process.cpuUsage(cpuBefore);
  instance.unmount();
  const inkMs = renderTimes.reduce((sum, time) => sum + time, 0);
  return {
    messages,
    replayMs,
    firstFrameMs,
    historyBytes,
    cpuMsPerToken: (cpu.user + cpu.system) / 1000 / tokens,
    inkFrames: renderTimes.length,
    inkMsPerFrame: inkMs / Math.max(1, renderTimes.length),
    bytesPerToken: (stdout.bytes - bytesBefore) / tokens,
  };
}

describe("render cost", () => {
  it("streams at a per-token cost that does not grow with the history (1,000 messages)", async () => {
    // TOAD_UI_BENCH_TOKENS=2000 for steadier numbers; the default keeps the suite fast.
    const tokens = Number(process.env.TOAD_UI_BENCH_TOKENS ?? 150);
    await measure(10, 20); // warm up the JIT and the modules
    const small = await measure(2, tokens);
    const large = await measure(1000, tokens);
    const fmt = (r: Awaited<ReturnType<typeof measure>>) =>
      `${r.messages} messages: replay ${r.replayMs.toFixed(0)} ms, first frame ${r.firstFrameMs.toFixed(0)} ms ` +
      `(${(r.historyBytes / 1024).toFixed(0)} KiB written), ${r.cpuMsPerToken.toFixed(2)} ms CPU/token at 200 tokens/s, ` +
      `Ink ${r.inkFrames} frames at ${r.inkMsPerFrame.toFixed(2)} ms, ${r.bytesPerToken.toFixed(0)} bytes/token`;
    console.log(`render cost\n  ${fmt(small)}\n  ${fmt(large)}`);
    // The finished history is printed once; streaming re-renders only the live tail.
    expect(large.cpuMsPerToken).toBeLessThan(small.cpuMsPerToken * 3 + 1);
    expect(large.firstFrameMs).toBeLessThan(10_000);
    expect(large.bytesPerToken).toBeLessThan(small.bytesPerToken * 3 + 200);
  }, 60_000);
});
