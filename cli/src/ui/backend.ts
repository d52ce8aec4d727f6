import { homedir } from "node:os";
import { findRepositoryRoot } from "@toad/agent";
import { formatProblems, type LlmConfig, loadLlmConfig } from "@toad/llm";
import type { SessionRecord, SessionStore } from "@toad/store";
import { CliError } from "../errors.js";
import type { Writable } from "../output.js";
import { fromLastSummary, openEmbeddedRuntime } from "../runtime.js";
import { compactSession } from "./controller/compact.js";
import type { RunnerPort, SessionController } from "./controller/session-controller.js";
import type { UiStore } from "./state/store.js";

/** Where the UI's sessions live: this process (embedded) or a cluster behind a gateway. */
export interface UiBackend {
  runner: RunnerPort & { latest(cwd: string): Promise<SessionRecord | undefined> };
  /** What the UI reads of the sessions: their logs and lists; undo where checkpoints are local. */
  sessions: Pick<SessionStore, "events" | "list"> & Partial<Pick<SessionStore, "undo">>;
  config: LlmConfig;
  /** `/compact`; absent where the UI cannot append to the log (a gateway). */
  compact?(controller: SessionController, ui: UiStore): Promise<void>;
  /** `/model` on a started session (the embedded runner takes the model per run). */
  modelSwitch: boolean;
  /** Translates a backend failure into a CLI error (the gateway's status codes). */
  describe(error: unknown): unknown;
  close(): Promise<void>;
}

export interface BackendOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stderr: Writable;
  /** `--gateway URL`; TOAD_GATEWAY_URL when absent. */
  gateway: string | undefined;
}

/** The embedded runtime, or with a gateway set, the remote runner alone (no local store is opened). */
export async function openBackend(options: BackendOptions): Promise<UiBackend> {
  const url = options.gateway ?? (options.env.TOAD_GATEWAY_URL || undefined);
  if (url !== undefined) return openRemoteBackend(url, options);
  const runtime = await openEmbeddedRuntime(options);
  const contextWindow = (model: string) => runtime.model.config.models[model]?.contextWindow;
  return {
    runner: runtime.runner,
    sessions: runtime.store,
    config: runtime.model.config,
    compact: (controller, ui) =>
      compactSession({
        store: runtime.store,
        runner: runtime.runner,
        model: runtime.model,
        controller,
        ui,
        contextWindow,
        conversationStart: fromLastSummary,
      }),
    modelSwitch: true,
    describe: (error) => error,
    close: () => runtime.close(),
  };
}

async function openRemoteBackend(url: string, options: BackendOptions): Promise<UiBackend> {
  const token = options.env.TOAD_TOKEN || undefined;
  if (token === undefined) throw new CliError(`the gateway at ${url} needs an API token: set TOAD_TOKEN`);
  // Loaded here only: the embedded UI never pays for gRPC and the generated contracts.
  const [{ connectGateway, gatewayError, RemoteSessionRunner }, { recordFromProto }] = await Promise.all([
    import("../remote/index.js"),
    import("../remote/convert.js"),
  ]);
  // The model list and context windows for the status line and /model come from the local config.
  const loaded = await loadLlmConfig({
    env: options.env,
    homeDir: homedir(),
    projectDir: await findRepositoryRoot(options.cwd),
  });
  if (!loaded.ok) throw new CliError(`the TOAD config has problems:\n${formatProblems(loaded.problems)}`);
  const connection = connectGateway({ url, token });
  const runner = new RemoteSessionRunner(connection, {
    logger: { warn: (message) => options.stderr.write(`toad: ${message}\n`) },
  });
  const describe = (error: unknown) => gatewayError(error, url);
  return {
    runner,
    sessions: {
      events: (sessionId, query) =>
        runner.events(sessionId).then((events) => (query?.limit ? events.slice(0, query.limit) : events)),
      list: async (query) => {
        const { sessions } = await connection.session.listSessions({
          cwd: query?.cwd ?? "",
          limit: query?.limit ?? 0,
        });
        return sessions.map(recordFromProto);
      },
    },
    config: loaded.config,
    modelSwitch: false,
    describe,
    close: async () => connection.close(),
  };
}
