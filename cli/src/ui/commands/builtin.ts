import { PERMISSION_MODES, type PermissionMode } from "@toad/core";
import { formatCost, formatTokens } from "../components/StatusLine.js";
import { PANELS } from "../state/types.js";
import { workingTreeDiff } from "./git.js";
import type { CommandContext, SlashCommand } from "./types.js";

const info = (ctx: CommandContext, text: string) => ctx.ui.dispatch({ type: "notice", level: "info", text });
const warn = (ctx: CommandContext, text: string) => ctx.ui.dispatch({ type: "notice", level: "warn", text });

export const INIT_PROMPT =
  "Write an AGENTS.md file at the root of this repository for coding agents working in it. " +
  "First look at the repository (its README, package manifests, build and test configuration, source layout). " +
  "Then write AGENTS.md with: what the project is, how to build, test and lint it (exact commands), " +
  "the layout of the code, and the conventions a contributor must follow. Keep it short and specific. " +
  "If AGENTS.md already exists, improve it instead of replacing what is still true.";

export const KEYS_HELP = [
  "enter send · alt+enter or \\ then enter: new line · ↑/↓ history",
  "esc interrupt the agent · ctrl+c twice exit · ctrl+p command palette",
  "ctrl+o expand tool results and thinking · shift+tab cycle permission mode",
  "ctrl+b split layout (full screen, the chat beside a panel) · pgup/pgdn scroll it · ctrl+t todo list",
  "ctrl+g Agent mode: j/k select · enter expand a card · a accept / d dismiss / e edit an edit · :ai PROMPT",
  "@path attach a file · / commands (tab completes)",
];

export const BUILTIN_COMMANDS: readonly SlashCommand[] = [
  {
    name: "help",
    summary: "commands and keys",
    run(ctx) {
      const width = Math.max(
        ...BUILTIN_COMMANDS.map((command) => command.name.length + (command.args?.length ?? 0)),
      );
      const lines = BUILTIN_COMMANDS.map((command) => {
        const name = `/${command.name}${command.args ? ` ${command.args}` : ""}`;
        return `  ${name.padEnd(width + 3)}${command.summary}`;
      });
      info(ctx, ["Commands:", ...lines, "", "Keys:", ...KEYS_HELP.map((line) => `  ${line}`)].join("\n"));
    },
  },
  {
    name: "model",
    summary: "show or choose the model (takes effect from the next prompt)",
    args: "[id]",
    run(ctx, arg) {
      const state = ctx.ui.getState();
      if (arg === "") {
        const list = ["auto", ...ctx.models].map((id) => `  ${id === state.model ? "●" : " "} ${id}`);
        info(
          ctx,
          [
            `Model: ${state.model}${state.activeModel ? ` (last answer: ${state.activeModel})` : ""}`,
            ...list,
          ].join("\n"),
        );
        return;
      }
      if (arg !== "auto" && !ctx.models.includes(arg)) {
        warn(ctx, `Unknown model "${arg}". Known: auto, ${ctx.models.join(", ")}`);
        return;
      }
      if (!ctx.modelSwitch && ctx.controller.sessionId !== undefined) {
        warn(
          ctx,
          "Sessions on a gateway keep their model; /clear starts a new session, then choose with /model.",
        );
        return;
      }
      ctx.ui.dispatch({ type: "set_model", model: arg });
      info(
        ctx,
        ctx.controller.sessionId === undefined
          ? `Model: ${arg}`
          : `Model: ${arg}, from the next prompt on (the conversation so far goes with it).`,
      );
    },
  },
  {
    name: "mode",
    summary: "permission mode: plan | ask | auto-edit | full-auto (shift+tab cycles)",
    args: "[mode]",
    run(ctx, arg) {
      if (arg === "") {
        info(ctx, `Mode: ${ctx.ui.getState().mode} (one of ${PERMISSION_MODES.join(", ")})`);
        return;
      }
      const mode = PERMISSION_MODES.find((candidate) => candidate === arg);
      if (!mode) {
        warn(ctx, `Unknown mode "${arg}": use one of ${PERMISSION_MODES.join(", ")}`);
        return;
      }
      ctx.ui.dispatch({ type: "set_mode", mode });
      info(ctx, `Mode: ${mode}`);
    },
  },
  {
    name: "clear",
    summary: "start a new session with a clear screen",
    run(ctx) {
      ctx.controller.interrupt();
      ctx.clearScreen();
      ctx.controller.newSession();
    },
  },
  {
    name: "compact",
    summary: "summarise the conversation and continue from the summary",
    async run(ctx) {
      if (!ctx.compact) return warn(ctx, "Compaction is not available here.");
      if (ctx.controller.sessionId === undefined) return warn(ctx, "Nothing to compact yet.");
      await ctx.compact();
    },
  },
  {
    name: "undo",
    summary: "put back the files the last edit changed",
    async run(ctx) {
      const sessionId = ctx.controller.sessionId;
      if (sessionId === undefined) return warn(ctx, "Nothing to undo: no edit in this session.");
      if (!ctx.store.undo)
        return warn(ctx, "Undo needs the local session store (not available over a gateway).");
      const result = await ctx.store.undo(sessionId);
      if (!result.ok) return warn(ctx, result.error.message);
      const files = result.value.files.map(
        (file) => `  ${file.action === "deleted" ? "deleted" : "restored"} ${file.path}`,
      );
      info(ctx, ["Undone:", ...files].join("\n"));
    },
  },
  {
    name: "sessions",
    summary: "list the sessions of this directory",
    async run(ctx) {
      const sessions = await ctx.store.list({ cwd: ctx.cwd, limit: 20 });
      if (sessions.length === 0) return info(ctx, "No sessions in this directory yet.");
      const lines = sessions.map(
        (session) =>
          `  ${session.id === ctx.controller.sessionId ? "●" : " "} ${session.id}  ${ago(session.updatedAt)}  ${formatCost(session.costUsd)}  ${session.title || "(untitled)"}`,
      );
      info(ctx, ["Sessions (newest first; /resume ID or /resume to pick):", ...lines].join("\n"));
    },
  },
  {
    name: "resume",
    summary: "continue a stored session (a picker without an id)",
    args: "[id]",
    async run(ctx, arg) {
      if (arg === "") return ctx.openSessionPicker();
      ctx.controller.interrupt();
      ctx.clearScreen();
      await ctx.controller.open(arg);
    },
  },
  {
    name: "cost",
    summary: "tokens, cache share and cost of this session",
    run(ctx) {
      const { usage } = ctx.ui.getState();
      const prompt = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
      const cached = prompt === 0 ? 0 : Math.round((usage.cacheReadTokens / prompt) * 100);
      info(
        ctx,
        [
          `Cost: ${formatCost(usage.costUsd)} over ${usage.requests} requests`,
          `Tokens in: ${formatTokens(prompt)} (cache read ${formatTokens(usage.cacheReadTokens)}, ${cached}% of input; cache write ${formatTokens(usage.cacheWriteTokens)})`,
          `Tokens out: ${formatTokens(usage.outputTokens)}`,
          `Context: ${formatTokens(usage.contextTokens)}`,
        ].join("\n"),
      );
    },
  },
  {
    name: "diff",
    summary: "the working tree's changes (git diff)",
    async run(ctx) {
      const result = await workingTreeDiff(ctx.cwd);
      if ("error" in result) return warn(ctx, `git diff failed: ${result.error}`);
      ctx.ui.dispatch({ type: "show_diff", title: "git diff HEAD", diff: result.diff });
      if (result.untracked.length > 0) info(ctx, `Untracked: ${result.untracked.join(", ")}`);
    },
  },
  {
    name: "layout",
    summary: "focus (the chat alone) or split (full screen: the chat beside a panel); ctrl+b",
    args: "[focus|split] [diff|todos|files|metrics]",
    run(ctx, arg) {
      const [name = "", panelName] = arg.split(/\s+/);
      const current = ctx.ui.getState().layout;
      const layout = name === "focus" || name === "split" ? name : current === "split" ? "focus" : "split";
      if (name !== "" && name !== layout) return warn(ctx, `Unknown layout "${name}": focus or split`);
      if (panelName !== undefined) {
        const panel = PANELS.find((candidate) => candidate === panelName);
        if (!panel) return warn(ctx, `Unknown panel "${panelName}": ${PANELS.join(", ")}`);
        ctx.ui.dispatch({ type: "set_panel", panel });
      }
      ctx.ui.dispatch({ type: "set_layout", layout });
    },
  },
  {
    name: "panel",
    summary: "the split layout's side panel: diff | todos | files | metrics (1-4 in Agent mode)",
    args: "[panel]",
    run(ctx, arg) {
      const panel = PANELS.find((candidate) => candidate === arg);
      if (!panel) return warn(ctx, `Choose a panel: ${PANELS.join(", ")}`);
      ctx.ui.dispatch({ type: "set_panel", panel });
      ctx.ui.dispatch({ type: "set_layout", layout: "split" });
    },
  },
  {
    name: "agent",
    summary: "Agent mode: j/k select messages and cards, enter expands, a/d/e answer an edit; ctrl+g",
    run(ctx) {
      ctx.ui.dispatch({ type: "set_agent_mode", on: !ctx.ui.getState().agentMode });
    },
  },
  {
    name: "vim",
    summary: "vim keys in the prompt on or off (Normal/Insert/Visual modes, :ai PROMPT, :q)",
    run(ctx) {
      const vim = !ctx.ui.getState().vim;
      ctx.ui.dispatch({ type: "set_vim", vim });
      info(
        ctx,
        vim
          ? "Vim keys on: esc for Normal mode, i to insert, v to select, : for commands (:ai PROMPT, :q)."
          : "Vim keys off.",
      );
    },
  },
  {
    name: "init",
    summary: "have the agent write an AGENTS.md for this repository",
    run(ctx) {
      ctx.controller.submit(INIT_PROMPT);
    },
  },
  {
    name: "exit",
    summary: "quit toad",
    run(ctx) {
      ctx.exit();
    },
  },
];

export function findCommand(name: string): SlashCommand | undefined {
  return BUILTIN_COMMANDS.find((command) => command.name === name);
}

/** `/resume abc` → the command and its argument; undefined when the text is not a command. */
export function parseCommandLine(text: string): { name: string; arg: string } | undefined {
  const match = /^\/([A-Za-z][\w-]*)(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!match?.[1]) return undefined;
  return { name: match[1].toLowerCase(), arg: (match[2] ?? "").trim() };
}

export function nextMode(mode: PermissionMode): PermissionMode {
  const index = PERMISSION_MODES.indexOf(mode);
  return PERMISSION_MODES[(index + 1) % PERMISSION_MODES.length] ?? "ask";
}

function ago(time: number): string {
  const seconds = Math.max(0, Math.round((Date.now() - time) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)}h ago`;
  return `${Math.round(seconds / 86_400)}d ago`;
}
