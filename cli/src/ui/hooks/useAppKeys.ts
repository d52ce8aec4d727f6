import type { SessionRecord, SessionStore } from "@toad/store";
import type { Key } from "ink";
import { useRef } from "react";
import { BUILTIN_COMMANDS, findCommand, nextMode, parseCommandLine } from "../commands/builtin.js";
import type { CommandContext } from "../commands/types.js";
import type { Suggestion } from "../components/InputBox.js";
import type { SessionController } from "../controller/session-controller.js";
import { editableText, editedArguments } from "../state/approval-edit.js";
import * as ed from "../state/editor.js";
import { fuzzyFilter } from "../state/fuzzy.js";
import type { PromptHistory } from "../state/history.js";
import { pendingCard } from "../state/reducer.js";
import type { UiStore } from "../state/store.js";
import type { ToolCardItem } from "../state/types.js";
import type { ChatWindow } from "../state/viewport.js";
import { parseColonLine } from "../state/vim.js";
import { agentKey, scrollKey } from "./agent-keys.js";
import { useLatest } from "./useLatest.js";
import { editKey, type usePromptInput } from "./usePromptInput.js";

export type Overlay =
  | { kind: "none" }
  | { kind: "palette"; query: ed.EditorState; selected: number }
  | { kind: "sessions"; sessions: SessionRecord[] | undefined; selected: number };

interface PaletteEntry extends Suggestion {
  id: string;
  run(): void;
}

export interface AppKeysDeps {
  ui: UiStore;
  controller: SessionController;
  input: ReturnType<typeof usePromptInput>;
  commandContext: CommandContext;
  exit(): void;
  clearScreen(): void;
  history: PromptHistory;
  submitPrompt(text: string): Promise<void>;
  store: Pick<SessionStore, "list">;
  cwd: string;
  /** The full-screen viewport's window in the last frame; undefined in the focus layout. */
  chatWindow(): ChatWindow | undefined;
}

const EXIT_WINDOW_MS = 2000;

/** Every key of the app, routed by priority: exit, overlays, the pending approval, global keys, the editor. */
export function useAppKeys(deps: AppKeysDeps) {
  const [overlay, setOverlay] = useLatest<Overlay>({ kind: "none" });
  const [approvalEdit, setApprovalEdit] = useLatest<
    { requestId: string; editor: ed.EditorState; error?: string } | undefined
  >(undefined);
  const [hint, setHint] = useLatest<string | undefined>(undefined);
  const [showTodos, setShowTodos] = useLatest(true);
  const armedAt = useRef(0);
  const pasting = useRef(false);
  const recent = useRef<string[]>([]);
  const d = useRef(deps);
  d.current = deps;

  const notice = (text: string, level: "info" | "warn" | "error" = "info") =>
    d.current.ui.dispatch({ type: "notice", level, text });

  const runCommand = async (name: string, arg: string) => {
    const command = findCommand(name);
    if (!command) return notice(`Unknown command /${name}: /help lists them.`, "warn");
    recent.current = [`/${name}`, ...recent.current.filter((id) => id !== `/${name}`)];
    try {
      await command.run(d.current.commandContext, arg);
    } catch (error) {
      notice(`/${name} failed: ${error instanceof Error ? error.message : String(error)}`, "error");
    }
  };

  // A `:` line typed from Agent mode is a command line even without vim keys.
  const commandLine = useRef(false);
  const submit = (text: string) => {
    const colonAllowed = d.current.ui.getState().vim || commandLine.current;
    commandLine.current = false;
    if (colonAllowed && text.startsWith(":")) {
      const colon = parseColonLine(text);
      if (colon?.kind === "quit") return d.current.exit();
      if (colon?.kind === "prompt") return void d.current.submitPrompt(colon.text);
      if (colon?.kind === "slash") text = colon.line;
    }
    const parsed = parseCommandLine(text);
    void d.current.history.add(text);
    if (parsed) {
      void runCommand(parsed.name, parsed.arg);
      return;
    }
    void d.current.submitPrompt(text);
  };

  const openSessionPicker = () => {
    setOverlay({ kind: "sessions", sessions: undefined, selected: 0 });
    d.current.store.list({ cwd: d.current.cwd, limit: 50 }).then(
      (sessions) => {
        const current = overlay.current;
        if (current.kind === "sessions") setOverlay({ ...current, sessions });
      },
      (error: unknown) => {
        setOverlay({ kind: "none" });
        notice(`Cannot list sessions: ${error instanceof Error ? error.message : String(error)}`, "error");
      },
    );
  };

  const toggleVerbose = () => {
    d.current.clearScreen();
    d.current.ui.dispatch({ type: "toggle_verbose" });
  };
  const setAgentMode = (on: boolean) => d.current.ui.dispatch({ type: "set_agent_mode", on });
  const agentContext = {
    get ui() {
      return d.current.ui;
    },
    window: () => d.current.chatWindow(),
    pending: () => pendingApproval(),
    answer: (card: ToolCardItem, decision: "allow" | "deny" | "allow_always") => answer(card, decision),
    edit: (card: ToolCardItem) => editApproval(card),
    toPrompt: (text: string) => {
      commandLine.current = text.startsWith(":");
      setAgentMode(false);
      if (text !== "") d.current.input.setText(text);
    },
  };
  const toggleLayout = () => {
    const layout = d.current.ui.getState().layout === "split" ? "focus" : "split";
    d.current.ui.dispatch({ type: "set_layout", layout });
  };
  const cycleMode = () => {
    const mode = nextMode(d.current.ui.getState().mode);
    d.current.ui.dispatch({ type: "set_mode", mode });
    flash(`mode: ${mode}`);
  };

  const paletteEntries = (): PaletteEntry[] => {
    const entries: PaletteEntry[] = [
      ...BUILTIN_COMMANDS.map((command) => ({
        id: `/${command.name}`,
        label: `/${command.name}`,
        detail: command.summary,
        run: () => {
          if (command.args) d.current.input.setText(`/${command.name} `);
          else void runCommand(command.name, "");
        },
      })),
      { id: "verbose", label: "Expand or collapse tool results", detail: "ctrl+o", run: toggleVerbose },
      { id: "mode", label: "Cycle permission mode", detail: "shift+tab", run: cycleMode },
      {
        id: "todos",
        label: "Show or hide the todo list",
        detail: "ctrl+t",
        run: () => setShowTodos((on) => !on),
      },
      { id: "pick", label: "Resume a session…", detail: "/resume", run: openSessionPicker },
      {
        id: "agent",
        label: "Agent mode: select messages and cards, answer edits",
        detail: "ctrl+g",
        run: () => setAgentMode(true),
      },
    ];
    const rank = (id: string) => {
      const index = recent.current.indexOf(id);
      return index === -1 ? Number.MAX_SAFE_INTEGER : index;
    };
    return [...entries].sort((a, b) => rank(a.id) - rank(b.id));
  };
  const paletteItems = (): PaletteEntry[] => {
    const current = overlay.current;
    if (current.kind !== "palette") return [];
    return fuzzyFilter(
      current.query.text,
      paletteEntries(),
      (entry) => `${entry.label} ${entry.detail ?? ""}`,
      30,
    );
  };

  const flash = (text: string) => {
    setHint(text);
    setTimeout(() => setHint((current) => (current === text ? undefined : current)), EXIT_WINDOW_MS);
  };

  const interrupt = () => {
    const queued = d.current.controller.interrupt();
    if (queued.length > 0) {
      const typed = d.current.input.text();
      d.current.input.setText([...queued, typed].filter((text) => text !== "").join("\n"));
    }
  };

  const pendingApproval = (): ToolCardItem | undefined => pendingCard(d.current.ui.getState());

  const answer = (card: ToolCardItem, decision: "allow" | "deny" | "allow_always", edited?: string) => {
    const requestId = card.approval?.requestId;
    if (requestId === undefined) return;
    setApprovalEdit(undefined);
    d.current.controller.approver.answer(
      requestId,
      decision === "deny"
        ? { decision, reason: "the user said no" }
        : { decision, ...(edited !== undefined && { editedArgumentsJson: edited }) },
    );
  };

  const editApproval = (card: ToolCardItem) => {
    if (card.approval?.requestId === undefined) return;
    setApprovalEdit({ requestId: card.approval.requestId, editor: ed.editorOf(editableText(card)) });
  };

  const approvalKey = (card: ToolCardItem, input: string, key: Key): boolean => {
    const editing = approvalEdit.current;
    if (editing && editing.requestId === card.approval?.requestId) {
      if (key.escape) {
        setApprovalEdit(undefined);
        return true;
      }
      if (key.return && !key.meta) {
        const result = editedArguments(card, editing.editor.text);
        if (result.ok) answer(card, "allow", result.json);
        else setApprovalEdit({ ...editing, error: result.error });
        return true;
      }
      const next = key.return ? ed.insert(editing.editor, "\n") : editKey(editing.editor, input, key);
      if (next) setApprovalEdit({ ...editing, editor: next });
      return true;
    }
    if (key.ctrl || key.meta) return false;
    switch (input) {
      case "y": {
        answer(card, "allow");
        return true;
      }
      case "n": {
        answer(card, "deny");
        return true;
      }
      case "a": {
        answer(card, "allow_always");
        return true;
      }
      case "e":
        editApproval(card);
        return true;
      default:
        return false;
    }
  };

  const overlayKey = (input: string, key: Key): boolean => {
    const current = overlay.current;
    if (current.kind === "none") return false;
    if (key.escape) {
      setOverlay({ kind: "none" });
      return true;
    }
    const count = current.kind === "palette" ? paletteItems().length : (current.sessions?.length ?? 0);
    if (key.upArrow || key.downArrow) {
      if (count > 0)
        setOverlay({ ...current, selected: (current.selected + (key.upArrow ? count - 1 : 1)) % count });
      return true;
    }
    if (key.return) {
      const entry = current.kind === "palette" ? paletteItems()[current.selected] : undefined;
      setOverlay({ kind: "none" });
      if (current.kind === "palette") {
        if (entry) {
          recent.current = [entry.id, ...recent.current.filter((id) => id !== entry.id)];
          entry.run();
        }
      } else {
        const session = current.sessions?.[current.selected];
        if (session) void runCommand("resume", session.id);
      }
      return true;
    }
    if (current.kind === "palette") {
      const next = editKey(current.query, input, key);
      if (next) setOverlay({ ...current, query: next, selected: 0 });
    }
    return true;
  };

  const paste = (text: string) => {
    const current = overlay.current;
    if (current.kind === "palette") {
      setOverlay({ ...current, query: ed.insert(current.query, text.replace(/[\r\n]+/g, " ")) });
      return;
    }
    if (current.kind !== "none") return;
    const editing = approvalEdit.current;
    if (editing) {
      setApprovalEdit({ ...editing, editor: ed.insert(editing.editor, text) });
      return;
    }
    d.current.input.insertText(text);
  };

  const handle = (input: string, key: Key) => {
    // Bracketed paste: everything between the markers is text, Enter included.
    if (input === "[200~" || input === "[201~") {
      pasting.current = input === "[200~";
      return;
    }
    if (pasting.current) return paste(input);
    if (key.ctrl && input === "c") {
      const now = Date.now();
      if (now - armedAt.current < EXIT_WINDOW_MS) return d.current.exit();
      armedAt.current = now;
      if (d.current.controller.running) interrupt();
      flash("press ctrl+c again to exit");
      return;
    }
    if (overlayKey(input, key)) return;
    const card = pendingApproval();
    const { agentMode } = d.current.ui.getState();
    const editingApproval =
      card !== undefined && approvalEdit.current?.requestId === card.approval?.requestId;
    if (agentMode && !editingApproval && agentKey(agentContext, input, key)) return;
    if (scrollKey(d.current.ui, d.current.chatWindow(), key)) return;
    if (key.ctrl && input === "g") return setAgentMode(!agentMode);
    if (agentMode && key.escape && !d.current.controller.running) return setAgentMode(false);
    if (card && approvalKey(card, input, key)) return;
    // Vim: Esc first leaves Insert mode; in Normal mode it interrupts as usual.
    if (key.escape && d.current.input.vimMode === "insert" && d.current.input.handleKey(input, key)) return;
    if (key.escape && d.current.controller.running && d.current.input.suggestions.length === 0) {
      interrupt();
      return;
    }
    if (key.ctrl && input === "p") return setOverlay({ kind: "palette", query: ed.emptyEditor, selected: 0 });
    if (key.ctrl && input === "o") return toggleVerbose();
    if (key.ctrl && input === "t") return setShowTodos((on) => !on);
    if (key.ctrl && input === "b") return toggleLayout();
    if (key.tab && key.shift) return cycleMode();
    if (card && key.return) return; // Enter does not send while an approval waits: it would be lost in the prompt.
    d.current.input.handleKey(input, key);
  };

  return {
    handle,
    overlay: overlay.current,
    paletteItems: overlay.current.kind === "palette" ? paletteItems() : [],
    approvalEdit: approvalEdit.current,
    hint: hint.current,
    showTodos: showTodos.current,
    openSessionPicker,
    submit,
    /** The prompt holds a `:` command line started from Agent mode. */
    commandLine: commandLine.current,
  };
}
