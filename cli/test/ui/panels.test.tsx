import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { SidePanel } from "../../src/ui/components/panels/SidePanel.js";
import { fileTree } from "../../src/ui/state/git-status.js";
import { initialState } from "../../src/ui/state/reducer.js";
import type { PanelKind, ToolCardItem, UiState } from "../../src/ui/state/types.js";
import { stripAnsi } from "./events.js";

const DIFF = "--- a/a.js\n+++ b/a.js\n@@ -1,2 +1,2 @@\n keep();\n-old();\n+brandNew();\n";
const DIFF_B = "--- a/b.js\n+++ b/b.js\n@@ -1 +1 @@\n-first();\n+second();\n";

function edit(id: string, diff: string, target: string): ToolCardItem {
  return {
    kind: "tool",
    id,
    callId: `c${id}`,
    name: "edit_file",
    argumentsJson: "{}",
    status: "done",
    startedAt: 0,
    approval: { requestId: `r${id}`, kind: "edit", summary: target, diff },
  };
}

function stateWith(panel: PanelKind, extra: Partial<UiState> = {}): UiState {
  const base = initialState({ model: "m1" });
  return {
    ...base,
    layout: "split",
    panel,
    usage: {
      ...base.usage,
      inputTokens: 1000,
      cacheReadTokens: 3000,
      outputTokens: 500,
      costUsd: 0.05,
      contextTokens: 50_000,
    },
    todos: [
      { content: "read code", status: "completed" },
      { content: "fix bug", status: "in_progress" },
    ],
    items: [edit("a", DIFF, "Edit a.js"), edit("b", DIFF_B, "Edit b.js")],
    ...extra,
  };
}

const FILES = [
  "README.md",
  "notes.md",
  "src/ui/app.ts",
  "src/ui/view.ts",
  "test/a.test.ts",
  "test/b.test.ts",
];
const CHANGES = [
  { code: " M", path: "src/ui/app.ts" },
  { code: "??", path: "notes.md" },
];

function panel(state: UiState): string {
  return stripAnsi(
    render(
      <SidePanel
        state={state}
        files={FILES}
        changes={CHANGES}
        width={50}
        height={14}
        contextWindow={200_000}
      />,
    ).lastFrame() ?? "",
  );
}

describe("the split layout's side panel", () => {
  it("tabs name every panel and mark the open one; the tasks tab counts what is done", () => {
    expect(panel(stateWith("metrics"))).toContain("1 Diff  2 Tasks 1/2  3 Files  4 Metrics");
  });

  it("metrics: model, tokens in and out, cache hit share, cost and context used", () => {
    const frame = panel(stateWith("metrics"));
    expect(frame).toContain("model      m1");
    expect(frame).toContain("tokens in  4.0k");
    expect(frame).toContain("tokens out 500");
    expect(frame).toContain("cache hits 75%");
    expect(frame).toContain("cost       $0.05");
    expect(frame).toContain("context    50k / 200k (25%)");
  });

  it("diff: the newest edit, or the one selected in Agent mode", () => {
    const newest = panel(stateWith("diff"));
    expect(newest).toContain("Edit b.js");
    expect(newest).toContain("+second();");
    expect(newest).not.toContain("brandNew");
    const selected = panel(stateWith("diff", { agentMode: true, selected: 0 }));
    expect(selected).toContain("Edit a.js");
    expect(selected).toContain("+brandNew();");
  });

  it("diff: a proposed edit waiting for approval is marked as such", () => {
    const pending: ToolCardItem = {
      ...edit("p", DIFF_B, "Edit b.js"),
      status: "approval",
    };
    const frame = panel(
      stateWith("diff", { items: [], live: { text: "", thinking: undefined, tools: [pending] } }),
    );
    expect(frame).toContain("proposed · Edit b.js");
  });

  it("tasks: the agent's todo list", () => {
    const frame = panel(stateWith("todos"));
    expect(frame).toContain("☑ read code");
    expect(frame).toContain("◐ fix bug");
    expect(panel(stateWith("todos", { todos: [] }))).toContain("no tasks yet");
  });

  it("files: the repository as a tree, changed folders open with status codes, the others folded", () => {
    const frame = panel(stateWith("files"));
    expect(frame).toContain("2 changed");
    expect(frame).toContain("src/");
    expect(frame).toContain("  ui/");
    expect(frame).toContain("M  app.ts");
    expect(frame).toContain("view.ts");
    expect(frame).toContain("test/ 2");
    expect(frame).toContain("?? notes.md");
  });
});

describe("fileTree", () => {
  it("opens only folders holding a change and counts the files of the others", () => {
    const lines = fileTree(FILES, CHANGES).map(
      (line) =>
        `${"  ".repeat(line.depth)}${line.name}${line.files ? ` ${line.files}` : ""}${line.code ? ` [${line.code}]` : ""}`,
    );
    expect(lines).toEqual([
      "src/",
      "  ui/",
      "    app.ts [ M]",
      "    view.ts",
      "test/ 2",
      "notes.md [??]",
      "README.md",
    ]);
  });
});
