import { homedir } from "node:os";
import {
  type AgentHooks,
  type AgentTools,
  combineHooks,
  combineTools,
  findRepositoryRoot,
  type HookFailure,
} from "@toad/agent";
import { AUTO_MODEL, type RunExtensions, type RunSetup, type SessionExtensions } from "@toad/session";
import { type CustomCommand, loadCommands } from "./commands/discover.js";
import { commandHooks } from "./hooks/command-hooks.js";
import { loadHooks } from "./hooks/config.js";
import { DiagnosticsService, diagnosticsHook } from "./lsp/diagnostics.js";
import type { LanguageServerSpec } from "./lsp/servers.js";
import type { ConfigPlaces, ConfigProblem, Env } from "./shared/paths.js";
import { type ExtensionTool, toolsetOf } from "./shared/toolset.js";
import { loadSkills } from "./skills/discover.js";
import { skillTool } from "./skills/skill-tool.js";
import { loadAgents } from "./subagents/definitions.js";
import { taskTool } from "./subagents/task-tool.js";
import type { HostResolver } from "./web/address-guard.js";
import { loadWebConfig } from "./web/config.js";
import { webFetchTool } from "./web/fetch-tool.js";

export interface ExtensionsOptions {
  env: Env;
  /** Defaults to os.homedir(). */
  homeDir?: string;
  /** Commands run in an isolated sandbox: web fetch is then off unless web.json enables it. */
  sandboxed?: boolean;
  /** Diagnostics after edits (on by default); `servers` replaces the known language servers. */
  diagnostics?: { enabled?: boolean; servers?: readonly LanguageServerSpec[]; firstTimeoutMs?: number };
  /** Subagents on/off (on by default). */
  subagents?: boolean;
  /** The web fetch tool's DNS resolver (tests). */
  resolveHost?: HostResolver;
}

export interface Extensions extends SessionExtensions {
  /** Custom commands of a directory's project, for `/name args` in the UI and `toad -p`. */
  commands(cwd: string): Promise<{ commands: CustomCommand[]; problems: ConfigProblem[] }>;
  /** Stops the language servers. */
  close(): Promise<void>;
}

/** Tools whose successful calls change files (diagnostics are checked after them). */
const EDIT_TOOLS = new Set(["write_file", "edit_file", "apply_patch", "batch_edit"]);

/**
 * TOAD's extensions for the session runner: hook commands (hooks.json),
 * skills, subagents (`task`), web fetch and diagnostics after edits. Config
 * is read at every run, so edits to it apply on the next prompt; language
 * servers stay up for the life of this object.
 */
export function createExtensions(options: ExtensionsOptions): Extensions {
  const homeDir = options.homeDir ?? homedir();
  const diagnostics = new Map<string, DiagnosticsService>();
  const places = async (cwd: string): Promise<ConfigPlaces> => ({
    env: options.env,
    homeDir,
    projectDir: await findRepositoryRoot(cwd),
  });

  const diagnosticsFor = (rootDir: string): DiagnosticsService => {
    let service = diagnostics.get(rootDir);
    if (!service) {
      service = new DiagnosticsService({
        rootDir,
        env: options.env,
        ...(options.diagnostics?.servers && { servers: options.diagnostics.servers }),
        ...(options.diagnostics?.firstTimeoutMs !== undefined && {
          firstTimeoutMs: options.diagnostics.firstTimeoutMs,
        }),
      });
      diagnostics.set(rootDir, service);
    }
    return service;
  };

  return {
    async sessionStart(session, signal) {
      const where = await places(session.cwd);
      const loaded = await loadHooks(where);
      // A broken hooks.json is reported by the run it stops (see refuseRun), once.
      if (!loaded.ok) return {};
      const hooks = commandHooks({
        hooks: loaded.hooks,
        sessionId: session.id,
        cwd: session.cwd,
        env: options.env,
      });
      const result = await hooks.sessionStart(
        { model: session.model, permissionMode: session.permissionMode },
        signal,
      );
      return { context: result.context, failures: result.failures };
    },

    async forRun(setup: RunSetup): Promise<RunExtensions> {
      const where = await places(setup.session.cwd);
      const [hooks, skills, agents, web] = await Promise.all([
        loadHooks(where),
        loadSkills(where),
        options.subagents === false ? undefined : loadAgents(where),
        loadWebConfig(where),
      ]);
      const problems = [...skills.problems, ...(agents?.problems ?? []), ...web.problems];

      const extra: ExtensionTool[] = [];
      if (skills.skills.length > 0) extra.push(skillTool(skills.skills));
      if (web.config.enabled ?? !options.sandboxed) {
        extra.push(
          webFetchTool({
            ...(web.config.allowedDomains && { allowedDomains: web.config.allowedDomains }),
            ...(options.resolveHost && { resolve: options.resolveHost }),
          }),
        );
      }
      const hookSets: AgentHooks[] = [reportProblems(problems)];
      if (hooks.ok) {
        hookSets.push(
          commandHooks({
            hooks: hooks.hooks,
            sessionId: setup.session.id,
            cwd: setup.session.cwd,
            env: options.env,
          }),
        );
      } else {
        hookSets.push(refuseRun(hooks.problems));
      }
      if (options.diagnostics?.enabled !== false) {
        hookSets.push(diagnosticsHook(diagnosticsFor(where.projectDir), EDIT_TOOLS));
      }
      const runHooks = combineHooks(...hookSets);

      const shared = combineTools(setup.tools, toolsetOf(extra));
      const tools: AgentTools = agents
        ? combineTools(
            shared,
            toolsetOf([
              taskTool({
                agents: agents.agents,
                tools: shared,
                model: setup.model,
                policy: setup.policy,
                cwd: setup.session.cwd,
                // A subagent's calls pass the same guards and get the same diagnostics as the session's.
                toolHooks: { preToolUse: runHooks.preToolUse, postToolUse: runHooks.postToolUse },
                ...(setup.session.model !== AUTO_MODEL && { sessionModel: setup.session.model }),
              }),
            ]),
          )
        : shared;
      return { tools, hooks: runHooks };
    },

    async commands(cwd) {
      return loadCommands(await places(cwd));
    },

    async close() {
      const services = [...diagnostics.values()];
      diagnostics.clear();
      await Promise.all(services.map((service) => service.close()));
    },
  };
}

function problemsAsFailures(problems: readonly ConfigProblem[]): HookFailure[] {
  return problems.map((problem) => ({ source: problem.file, message: problem.message }));
}

/** Broken skill, agent or web files: reported at the prompt; the rest still works. */
function reportProblems(problems: readonly ConfigProblem[]): AgentHooks {
  if (problems.length === 0) return {};
  return { userPromptSubmit: async () => ({ action: "continue", failures: problemsAsFailures(problems) }) };
}

/**
 * A broken hooks.json stops the run: its hooks may be the guards the person
 * relies on, so running without them would be worse than not running.
 */
function refuseRun(problems: readonly ConfigProblem[]): AgentHooks {
  const reason = `hooks.json has problems; fix them and try again:\n${problems
    .map((problem) => `${problem.file}: ${problem.message}`)
    .join("\n")}`;
  return { userPromptSubmit: async () => ({ action: "block", reason }) };
}
