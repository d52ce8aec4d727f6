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
import { pendingCard } from "../state/reducer.js";
import { CLEAR_SCREEN, isFullScreen } from "../state/screen.js";
import type { UiStore } from "../state/store.js";
import type { ChatItem } from "../state/types.js";
import { type ChatWindow, chatWindow, estimateRows } from "../state/viewport.js";
import { ApprovalPrompt } from "./ApprovalPrompt.js";
import { ChatViewport } from "./ChatViewport.js";
import { HistoryItem } from "./HistoryItem.js";
import { InputBox } from "./InputBox.js";
import { LiveArea } from "./LiveArea.js";
import { Palette } from "./Palette.js";
import { SidePanel } from "./panels/SidePanel.js";
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
  /** `/model` may change a started session's model (false over a gateway). */
  modelSwitch?: boolean;
  /** Called when the person quits (before Ink unmounts). */
  onExit?: () => void;
}

export { CLEAR_SCREEN };

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
      modelSwitch: props.modelSwitch ?? true,
      compact: props.compact,
      exit,
      clearScreen,
      openSessionPicker: () => openPicker.current(),
    }),
    [
      controller,
      ui,
      props.store,
      props.cwd,
      props.models,
      props.modelSwitch,
      props.compact,
      exit,
      clearScreen,
    ],
  );

  /** The repository's files, listed on first use and again after each run. */
  const repositoryFiles = () => {
    if (!filesRequested.current) {
      filesRequested.current = true;
      props.listFiles(props.cwd).then(setFiles, () => setFiles([]));
    }
    return files;
  };
  const input = usePromptInput({
    commands: BUILTIN_COMMANDS,
    history: () => props.history.entries(),
    files: repositoryFiles,
    onSubmit: (text) => keys.submit(text),
    vim: state.vim,
  });

  const lastWindow = useRef<ChatWindow | undefined>(undefined);
  const keys = useAppKeys({
    chatWindow: () => lastWindow.current,
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

  const printed = useMemo(
    () => printedItems(state.items, state.printedFrom),
    [state.items, state.printedFrom],
  );
  const fullScreen = isFullScreen(state);
  const split = state.layout === "split";
  const gitFiles = useGitStatus(props.cwd, split, state.items.length + (state.running ? 0 : 0.5));
  // The file tree lists the repository once per run (the agent may add files).
  const treeFiles = split && state.panel === "files" ? repositoryFiles() : undefined;
  const pending = pendingCard(state);
  // The live area must stay shorter than the terminal (see state/clip.ts).
  const liveBudget = Math.max(4, rows - 10);

  const bottom = (
    <>
      {pending && (
        <ApprovalPrompt
          card={pending}
          width={columns}
          maxLines={fullScreen ? Math.max(3, Math.floor(rows / 4)) : Math.max(4, rows - 16)}
          editing={keys.approvalEdit?.editor}
          editError={keys.approvalEdit?.error}
          agentMode={state.agentMode}
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
      {!fullScreen && keys.showTodos && state.todos.length > 0 && <TodoPanel todos={state.todos} />}
      <Box marginTop={fullScreen ? 0 : 1} flexDirection="column" flexShrink={0}>
        <InputBox
          editor={input.editor}
          placeholder={
            state.agentMode
              ? "agent mode: j/k select · enter expand · : command · i or esc back to the prompt"
              : state.running
                ? "type ahead: sent when the agent is done"
                : "ask toad, / for commands, @ to attach a file"
          }
          focused={keys.overlay.kind === "none" && !pending && !state.agentMode}
          suggestions={keys.overlay.kind === "none" ? input.suggestions : []}
          selected={input.selected}
          queued={state.queued}
          selection={input.selection}
        />
        <StatusLine
          state={state}
          contextWindow={props.contextWindow(state.activeModel ?? state.model)}
          hint={keys.hint ?? modeHint(state.agentMode, input.vimMode, input.editor.text, keys.commandLine)}
        />
      </Box>
    </>
  );

  if (fullScreen) {
    const panelWidth = split ? Math.max(30, Math.min(70, Math.floor(columns * 0.4))) : 0;
    const chatWidth = columns - panelWidth;
    // Generous on purpose: the viewport clips what does not fit.
    const chatRows = Math.max(4, rows - 5 - state.queued.length);
    const window = chatWindow(state.items.length, state.view, chatRows, (index) => {
      const item = state.items[index];
      return item ? estimateRows(item, chatWidth - 2, state.verbose || state.expanded.includes(item.id)) : 1;
    });
    lastWindow.current = window;
    return (
      // One row short of the terminal: a frame as tall as the screen makes Ink redraw it whole.
      <Box flexDirection="column" height={rows - 1} width={columns} overflow="hidden">
        <Box flexGrow={1} flexShrink={1} overflow="hidden">
          <ChatViewport
            state={state}
            window={window}
            width={chatWidth}
            height={chatRows}
            runStartedAt={runStartedAt}
          />
          {split && (
            <SidePanel
              state={state}
              files={treeFiles}
              changes={gitFiles}
              width={panelWidth}
              height={chatRows}
              contextWindow={props.contextWindow(state.activeModel ?? state.model)}
            />
          )}
        </Box>
        <Box flexDirection="column" flexShrink={0}>
          {bottom}
        </Box>
      </Box>
    );
  }
  lastWindow.current = undefined;

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
      {bottom}
    </Box>
  );
}

/** The status line's mode: Agent mode, or the vim mode (a `:` line is Command mode). */
function modeHint(
  agentMode: boolean,
  vimMode: string | undefined,
  text: string,
  commandLine: boolean,
): string | undefined {
  if (agentMode) return "-- AGENT --";
  if (text.startsWith(":") && (commandLine || vimMode === "insert")) return "-- COMMAND --";
  if (vimMode === undefined) return undefined;
  return `-- ${vimMode.toUpperCase()} --`;
}

/** The printed part of the history, after a note of what a long restored session leaves out. */
function printedItems(items: ChatItem[], from: number): ChatItem[] {
  if (from <= 0) return items;
  const note: ChatItem = {
    kind: "notice",
    id: `earlier-${from}`,
    level: "info",
    text: `⋯ ${from} earlier items of this session are not printed here (ctrl+b or ctrl+g scrolls them all)`,
  };
  return [note, ...items.slice(from)];
}

/** A blank line between items, except inside a run of tool cards. */
function gapBefore(item: ChatItem, previous: ChatItem | undefined): number {
  if (!previous) return 0;
  return item.kind === "tool" && previous.kind === "tool" ? 0 : 1;
}
