import { Box, Static, useApp, useInput, useStdout } from "ink";
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { BUILTIN_COMMANDS } from "../commands/builtin.js";
import type { CommandContext } from "../commands/types.js";
import type { SessionController } from "../controller/session-controller.js";
import { useAppKeys } from "../hooks/useAppKeys.js";
import { useGitStatus } from "../hooks/useGitStatus.js";
import { usePromptInput } from "../hooks/usePromptInput.js";
import { useTerminalSize } from "../hooks/useTerminalSize.js";
import { preloadHighlighter } from "../render/highlight.js";
import type { PromptHistory } from "../state/history.js";
import type { UiStore } from "../state/store.js";
import type { ChatItem } from "../state/types.js";
import { ApprovalPrompt } from "./ApprovalPrompt.js";
import { Dock } from "./Dock.js";
import { HistoryItem } from "./HistoryItem.js";
import { InputBox } from "./InputBox.js";
import { LiveArea } from "./LiveArea.js";
import { Palette } from "./Palette.js";
import { SessionPicker } from "./SessionPicker.js";
import { StatusLine } from "./StatusLine.js";
import { TodoPanel } from "./TodoPanel.js";

export interface AppProps {
  ui: UiStore;
  controller: SessionController;
  store: CommandContext["store"];
  cwd: string;
  models: readonly string[];
  contextWindow(model: string): number | undefined;
  history: PromptHistory;
  compact?: () => Promise<void>;
  listFiles(cwd: string): Promise<string[]>;
  /** Sends the prompt after expanding `@` mentions. */
  submitPrompt(text: string): Promise<void>;
  /** Opens the session picker on start (`toad --resume` without an id). */
  openPicker?: boolean;
  /** Called when the person quits (before Ink unmounts). */
  onExit?: () => void;
}

export const CLEAR_SCREEN = "\u001b[2J\u001b[3J\u001b[H";

/** The interactive terminal UI: history (printed once), the live turn, approvals, input and status. */
export function App(props: AppProps) {
  const { ui, controller } = props;
  const state = useSyncExternalStore(ui.subscribe, ui.getState);
  const app = useApp();
  const exit = useCallback(() => {
    props.onExit?.();
    app.exit();
  }, [app, props.onExit]);
  const { stdout } = useStdout();
  const { columns, rows } = useTerminalSize();
  const [files, setFiles] = useState<string[] | undefined>(undefined);
  const filesRequested = useRef(false);
  const [runStartedAt, setRunStartedAt] = useState(Date.now());
  useEffect(() => {
    if (state.running) setRunStartedAt(Date.now());
    // The agent may have added files: the next `@` lists them again.
    else filesRequested.current = false;
  }, [state.running]);

  const clearScreen = useCallback(() => {
    stdout.write(CLEAR_SCREEN);
  }, [stdout]);

  // The picker lives in the key router, which is built after the command context.
  const openPicker = useRef<() => void>(() => {});
  const commandContext = useMemo<CommandContext>(
    () => ({
      controller,
      ui,
      store: props.store,
      cwd: props.cwd,
      models: props.models,
      compact: props.compact,
      exit,
      clearScreen,
      openSessionPicker: () => openPicker.current(),
    }),
    [controller, ui, props.store, props.cwd, props.models, props.compact, exit, clearScreen],
  );

  const input = usePromptInput({
    commands: BUILTIN_COMMANDS,
    history: () => props.history.entries(),
    files: () => {
      if (!filesRequested.current) {
        filesRequested.current = true;
        props.listFiles(props.cwd).then(setFiles, () => setFiles([]));
      }
      return files;
    },
    onSubmit: (text) => keys.submit(text),
    vim: state.vim,
  });

  const keys = useAppKeys({
    ui,
    controller,
    input,
    commandContext,
    exit,
    clearScreen,
    history: props.history,
    submitPrompt: props.submitPrompt,
    store: props.store,
    cwd: props.cwd,
  });
  openPicker.current = keys.openSessionPicker;
  // One stable handler: Ink re-subscribes to stdin whenever the handler changes.
  const handleKey = useRef(keys.handle);
  handleKey.current = keys.handle;
  useInput(useCallback((input, key) => handleKey.current(input, key), []));
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, on mount
  useEffect(() => {
    if (props.openPicker) keys.openSessionPicker();
    // Off the first frame's path: code blocks render plain until the grammars are in.
    void preloadHighlighter();
  }, []);

  const gitFiles = useGitStatus(
    props.cwd,
    state.layout === "split",
    state.items.length + (state.running ? 0 : 0.5),
  );
  const printed = useMemo(
    () => printedItems(state.items, state.printedFrom),
    [state.items, state.printedFrom],
  );
  const pending = state.live.tools.find(
    (card) => card.status === "approval" && card.approval?.decision === undefined,
  );
  // The live area must stay shorter than the terminal (see state/clip.ts).
  const liveBudget = Math.max(4, rows - 10);

  return (
    <Box flexDirection="column">
      <Static key={state.epoch} items={printed}>
        {(item, index) => (
          <Box key={item.id} marginTop={gapBefore(item, printed[index - 1])} width={columns}>
            <HistoryItem item={item} verbose={state.verbose} width={columns} />
          </Box>
        )}
      </Static>
      <LiveArea
        live={state.live}
        running={state.running}
        runStartedAt={runStartedAt}
        verbose={state.verbose}
        width={columns}
        maxRows={pending ? Math.max(3, Math.floor(liveBudget / 3)) : liveBudget}
      />
      {pending && (
        <ApprovalPrompt
          card={pending}
          width={columns}
          maxLines={Math.max(4, rows - 16)}
          editing={keys.approvalEdit?.editor}
          editError={keys.approvalEdit?.error}
        />
      )}
      {keys.overlay.kind === "palette" && (
        <Palette query={keys.overlay.query} items={keys.paletteItems} selected={keys.overlay.selected} />
      )}
      {keys.overlay.kind === "sessions" && (
        <SessionPicker
          sessions={keys.overlay.sessions}
          selected={keys.overlay.selected}
          currentId={controller.sessionId}
        />
      )}
      {/* The live area must stay shorter than the terminal: an approval takes the dock's place on small screens. */}
      {state.layout === "split" && !(pending && rows < 45) ? (
        <Dock
          state={state}
          files={gitFiles}
          width={columns}
          height={Math.max(3, Math.min(8, rows - 22))}
          contextWindow={props.contextWindow(state.activeModel ?? state.model)}
        />
      ) : (
        keys.showTodos && state.todos.length > 0 && <TodoPanel todos={state.todos} />
      )}
      <Box marginTop={1} flexDirection="column">
        <InputBox
          editor={input.editor}
          placeholder={
            state.running
              ? "type ahead: sent when the agent is done"
              : "ask toad, / for commands, @ to attach a file"
          }
          focused={keys.overlay.kind === "none" && !pending}
          suggestions={keys.overlay.kind === "none" ? input.suggestions : []}
          selected={input.selected}
          queued={state.queued}
        />
        <StatusLine
          state={state}
          contextWindow={props.contextWindow(state.activeModel ?? state.model)}
          hint={keys.hint ?? (input.vimMode ? `-- ${input.vimMode.toUpperCase()} --` : undefined)}
        />
      </Box>
    </Box>
  );
}

/** The printed part of the history, after a note of what a long restored session leaves out. */
function printedItems(items: ChatItem[], from: number): ChatItem[] {
  if (from <= 0) return items;
  const note: ChatItem = {
    kind: "notice",
    id: `earlier-${from}`,
    level: "info",
    text: `⋯ ${from} earlier items of this session are not shown (all of them stay in the session log)`,
  };
  return [note, ...items.slice(from)];
}

/** A blank line between items, except inside a run of tool cards. */
function gapBefore(item: ChatItem, previous: ChatItem | undefined): number {
  if (!previous) return 0;
  return item.kind === "tool" && previous.kind === "tool" ? 0 : 1;
}
