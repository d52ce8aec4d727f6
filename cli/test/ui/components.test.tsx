import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { DiffView } from "../../src/ui/components/DiffView.js";
import { StatusLine } from "../../src/ui/components/StatusLine.js";
import { ToolCard } from "../../src/ui/components/ToolCard.js";
import { initialState } from "../../src/ui/state/reducer.js";
import type { ToolCardItem } from "../../src/ui/state/types.js";
import { stripAnsi } from "./events.js";

const DIFF = "--- a/a.js\n+++ b/a.js\n@@ -1,2 +1,2 @@\n keep();\n-old();\n+brandNew();\n";

describe("components", () => {
  it("shows a diff unified when narrow and side by side when wide", () => {
    const narrow = render(<DiffView diff={DIFF} width={80} maxLines={20} />);
    const unified = stripAnsi(narrow.lastFrame() ?? "");
    expect(unified).toContain("   2 -old();");
    expect(unified).toContain("   2 +brandNew();");
    expect(unified).toContain("+1 -1");
    const wide = render(<DiffView diff={DIFF} width={130} maxLines={20} />);
    const split = stripAnsi(wide.lastFrame() ?? "").split("\n");
    const changed = split.find((line) => line.includes("old();"));
    expect(changed).toMatch(/2 old\(\);\s+│\s+2 brandNew\(\);/);
  });

  it("cuts a long diff and says how much is hidden", () => {
    const long = `--- a/x\n+++ b/x\n@@ -1,30 +1,0 @@\n${Array.from({ length: 30 }, (_, i) => `-line${i}`).join("\n")}\n`;
    const frame = stripAnsi(render(<DiffView diff={long} width={80} maxLines={10} />).lastFrame() ?? "");
    expect(frame).toContain("… 22 more lines");
    expect(frame).not.toContain("line29");
  });

  it("draws a tool card collapsed to one line, or with its result when expanded", () => {
    const card: ToolCardItem = {
      kind: "tool",
      id: "t",
      callId: "c",
      name: "bash",
      argumentsJson: '{"command":"npm test"}',
      status: "done",
      startedAt: 0,
      durationMs: 1530,
      output: "line one\nline two\nline three",
    };
    const collapsed = stripAnsi(
      render(<ToolCard card={card} expanded={false} width={80} />).lastFrame() ?? "",
    );
    expect(collapsed).toBe("✓ bash npm test  1.5s\n  ⎿ 3 lines");
    const expanded = stripAnsi(render(<ToolCard card={card} expanded width={80} />).lastFrame() ?? "");
    expect(expanded).toContain("line three");
  });

  it("shows a running card with a spinner and elapsed time", () => {
    const card: ToolCardItem = {
      kind: "tool",
      id: "t",
      callId: "c",
      name: "run_tests",
      argumentsJson: "{}",
      status: "running",
      startedAt: Date.now() - 2500,
    };
    const frame = stripAnsi(render(<ToolCard card={card} expanded={false} width={80} />).lastFrame() ?? "");
    expect(frame).toMatch(/● run_tests detected command {2}[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] 2\.\ds/);
  });

  it("keeps model, mode, cost and context used in the status line", () => {
    const state = {
      ...initialState({ model: "auto", mode: "auto-edit" }),
      activeModel: "claude-sonnet-4-5",
      usage: { ...initialState().usage, costUsd: 0.1234, contextTokens: 150_000 },
    };
    const frame = stripAnsi(
      render(<StatusLine state={state} contextWindow={200_000} hint={undefined} />).lastFrame() ?? "",
    );
    expect(frame).toContain("claude-sonnet-4-5 · auto-edit · $0.12 · ctx 150k/200k (75%)");
  });
});
