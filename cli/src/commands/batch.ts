import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { findRepositoryRoot } from "@toad/agent";
import {
  type BatchError,
  compareRuns,
  createContextPreloader,
  createEvalSyntaxChecker,
  evaluateRun,
  formatComparison,
  formatEvalReport,
  formatProgressLine,
  formatSummaryTable,
  loadDataset,
  type ProgressSnapshot,
  parseTestEnvironments,
  type RunSettings,
  runBatch,
  runRemoteBatch,
  selectInstances,
} from "@toad/batch";
import { MODEL_TIERS } from "@toad/core";
import { createModelClient, formatProblems, loadLlmConfig } from "@toad/llm";
import { AUTO_MODEL } from "@toad/session";
import { type Command, type CommandIo, parseFlags } from "../command.js";
import { CliError, EXIT, type ExitCode } from "../errors.js";
import { connectGateway, gatewayError } from "../remote/index.js";
import { cliVersion } from "../version.js";

const USAGE = `Usage:
  toad batch run --dataset FILE --repos DIR --out DIR [options]
  toad batch run --dataset FILE --out DIR --gateway URL [options]   (on the cluster; token from TOAD_TOKEN)
  toad batch compare RUN_A RUN_B [--output-format text|json]
  toad batch eval RUN [--repos DIR] [--dataset FILE] [--workers N] [--test-env FILE] [--output-format text|json]
                          (--test-env: {"owner/name": {"command": "python -m pytest {tests}"}} runs each
                          row's FAIL_TO_PASS / PASS_TO_PASS here, in the sandbox, when it has test_patch)

run options:
  --model ID              model id from the registry (default: routed by --tier)
  --tier TIER             fast | balanced | premium | reasoning
  --workers N             instances at once (default 1)
  --instance-ids A,B      only these instances      --filter REGEX   ids matching it
  --slice A:B             a slice of the selection (Python style)
  --max-turns N           per instance              --max-cost USD   per instance
  --redo-empty            run again the instances whose patch was empty
  --context on|off        pre-load a focused repository map and hybrid-retrieval results (default on)
  --test-selection on|off offer run_tests and ask for the tests covering the change (default on)
  --hints                 show the dataset's hints_text to the agent
  --clone-from URL        clone a repository missing from --repos from URL/owner/name
  --work-dir DIR          where workspaces are made (default: a folder under the temp dir)
  --fresh-workspaces      a new checkout per instance (default: each worker resets its own)
  --keep-workspaces       leave workspaces on disk
  --sandbox MODE          auto | bubblewrap | process (default auto)
  --output-format FORMAT  text (default) | json (the summary on stdout)
  --gateway URL           run on the cluster behind this gateway (or TOAD_GATEWAY_URL): the batch
                          workers use their own repository cache; results stream back into --out`;

export const batchCommand: Command = {
  name: "batch",
  summary: "run the agent over a SWE-bench dataset (run), compare runs (compare), check predictions (eval)",
  async run(argv, io) {
    const [sub, ...rest] = argv;
    switch (sub) {
      case "run":
        return runCommand(rest, io);
      case "compare":
        return compareCommand(rest, io);
      case "eval":
        return evalCommand(rest, io);
      case undefined:
      case "--help":
      case "-h":
        io.stdout.write(`${USAGE}\n`);
        return sub === undefined ? EXIT.usage : EXIT.ok;
      default:
        throw new CliError(`unknown batch command "${sub}"\n${USAGE}`);
    }
  },
};

const RUN_OPTIONS = {
  dataset: { type: "string" },
  repos: { type: "string" },
  out: { type: "string" },
  model: { type: "string" },
  tier: { type: "string" },
  workers: { type: "string" },
  "instance-ids": { type: "string" },
  filter: { type: "string" },
  slice: { type: "string" },
  "max-turns": { type: "string" },
  "max-cost": { type: "string" },
  "redo-empty": { type: "boolean" },
  context: { type: "string" },
  "test-selection": { type: "string" },
  hints: { type: "boolean" },
  "clone-from": { type: "string" },
  "work-dir": { type: "string" },
  "keep-workspaces": { type: "boolean" },
  "fresh-workspaces": { type: "boolean" },
  sandbox: { type: "string" },
  "output-format": { type: "string" },
  gateway: { type: "string" },
} as const;

async function runCommand(argv: string[], io: CommandIo): Promise<ExitCode> {
  const { values } = parseFlags(USAGE, () => parseArgs({ args: argv, options: RUN_OPTIONS, strict: true }));
  const datasetPath = resolve(io.cwd, required(values.dataset, "--dataset FILE"));
  const gateway = values.gateway ?? io.env.TOAD_GATEWAY_URL;
  const reposDir = gateway === undefined ? resolve(io.cwd, required(values.repos, "--repos DIR")) : undefined;
  const outDir = resolve(io.cwd, required(values.out, "--out DIR"));
  const json = outputFormat(values["output-format"]) === "json";
  const sandbox = oneOf("--sandbox", values.sandbox ?? "auto", ["auto", "bubblewrap", "process"] as const);
  const tier = values.tier === undefined ? undefined : oneOf("--tier", values.tier, MODEL_TIERS);

  const dataset = check(await loadDataset(datasetPath));
  const instances = check(selectInstances(dataset, selectionOf(values)));
  const model = values.model ?? AUTO_MODEL;
  // On the cluster the models are the cluster's: the router checks them, not this machine's config.
  const config = reposDir !== undefined ? await localModelConfig(io, model) : undefined;
  const maxTurns = positive("--max-turns", values["max-turns"], true);
  const maxCostUsd = positive("--max-cost", values["max-cost"], false);
  // An explicit model answers every turn; "auto" routes by tier, the config's default when none is given.
  const effectiveTier = tier ?? (model === AUTO_MODEL ? config?.defaultTier : undefined);
  const settings: RunSettings = {
    model,
    ...(effectiveTier !== undefined && { tier: effectiveTier }),
    ...(maxTurns !== undefined && { maxTurns }),
    ...(maxCostUsd !== undefined && { maxCostUsd }),
    ablations: {
      contextPreload: onOff("--context", values.context),
      testSelection: onOff("--test-selection", values["test-selection"]),
    },
  };

  const interrupt = new AbortController();
  const onSignal = () => {
    if (interrupt.signal.aborted) process.exit(EXIT.interrupted);
    io.stderr.write(
      "\ntoad batch: stopping; unfinished instances run again next time (Ctrl-C again to quit now)\n",
    );
    interrupt.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const progress = progressPrinter(io);
  const warned = new Set<string>();
  const common = {
    instances,
    dataset: { path: datasetPath, sha256: await fileHash(datasetPath), selection: selectionOf(values) },
    outDir,
    workers: positive("--workers", values.workers, true) ?? 1,
    settings,
    useHints: values.hints ?? false,
    redoEmpty: values["redo-empty"] ?? false,
    toad: toadVersion(),
    signal: interrupt.signal,
    onProgress: progress.update,
  };
  try {
    const outcome =
      reposDir === undefined || config === undefined
        ? await runOnCluster(gateway ?? "", common, io)
        : await runBatch({
            ...common,
            reposDir,
            ...(values["clone-from"] !== undefined && { cloneFrom: values["clone-from"] }),
            ...(values["work-dir"] !== undefined && { workRoot: resolve(io.cwd, values["work-dir"]) }),
            modelFor: (instance) =>
              createModelClient({ config, env: io.env, sessionId: instance.instance_id }),
            logger: {
              warn: (message) => {
                if (!warned.has(message)) io.stderr.write(`toad batch: ${message}\n`);
                warned.add(message);
              },
            },
            sandbox,
            keepWorkspaces: values["keep-workspaces"] ?? false,
            recycleWorkspaces: !(values["fresh-workspaces"] ?? false),
            ...(settings.ablations.contextPreload && { hooks: createContextPreloader() }),
          });
    progress.end();
    const result = check(outcome);
    io.stdout.write(
      json ? `${JSON.stringify(result.summary, null, 2)}\n` : `${formatSummaryTable(result.summary)}\n`,
    );
    if (result.cancelled) return EXIT.interrupted;
    return result.summary.errors > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** This machine's model config, checked to know `model`. */
async function localModelConfig(io: CommandIo, model: string) {
  const loaded = await loadLlmConfig({
    env: io.env,
    homeDir: homedir(),
    projectDir: await findRepositoryRoot(io.cwd),
  });
  if (!loaded.ok) throw new CliError(`the TOAD config has problems:\n${formatProblems(loaded.problems)}`);
  if (model !== AUTO_MODEL && loaded.config.models[model] === undefined) {
    throw new CliError(
      `unknown model "${model}"; known: ${Object.keys(loaded.config.models).sort().join(", ")}`,
    );
  }
  return loaded.config;
}

/** The run submitted through the gateway; its results stream back into the same run folder. */
async function runOnCluster(
  url: string,
  common: Omit<Parameters<typeof runRemoteBatch>[0], "gateway" | "client">,
  io: CommandIo,
) {
  const token = io.env.TOAD_TOKEN;
  if (token === undefined || token === "") {
    throw new CliError("toad batch run --gateway needs an API token in TOAD_TOKEN", EXIT.usage);
  }
  const connection = connectGateway({ url, token });
  try {
    return await runRemoteBatch({ ...common, gateway: url, client: connection.batch });
  } catch (error) {
    throw gatewayError(error, url);
  } finally {
    connection.close();
  }
}

async function compareCommand(argv: string[], io: CommandIo): Promise<ExitCode> {
  const { values, positionals } = parseFlags(USAGE, () =>
    parseArgs({ args: argv, options: { "output-format": { type: "string" } }, allowPositionals: true }),
  );
  if (positionals.length !== 2) throw new CliError(`compare takes two run folders\n${USAGE}`);
  const [a = "", b = ""] = positionals.map((path) => resolve(io.cwd, path));
  const comparison = check(await compareRuns(a, b));
  const json = outputFormat(values["output-format"]) === "json";
  io.stdout.write(json ? `${JSON.stringify(comparison, null, 2)}\n` : `${formatComparison(comparison)}\n`);
  return EXIT.ok;
}

async function evalCommand(argv: string[], io: CommandIo): Promise<ExitCode> {
  const options = {
    repos: { type: "string" },
    dataset: { type: "string" },
    workers: { type: "string" },
    "harness-dataset": { type: "string" },
    "test-env": { type: "string" },
    "output-format": { type: "string" },
  } as const;
  const { values, positionals } = parseFlags(USAGE, () =>
    parseArgs({ args: argv, options, allowPositionals: true }),
  );
  if (positionals.length !== 1) throw new CliError(`eval takes one run folder\n${USAGE}`);
  const json = outputFormat(values["output-format"]) === "json";
  const testEnvFile = values["test-env"] === undefined ? undefined : resolve(io.cwd, values["test-env"]);
  const testEnvironments =
    testEnvFile === undefined
      ? undefined
      : check(
          parseTestEnvironments(await readFile(testEnvFile, "utf8").catch(() => "not readable"), testEnvFile),
        );
  const report = check(
    await evaluateRun({
      outDir: resolve(io.cwd, positionals[0] ?? ""),
      ...(values.repos !== undefined && { reposDir: resolve(io.cwd, values.repos) }),
      ...(values.dataset !== undefined && { datasetPath: resolve(io.cwd, values.dataset) }),
      ...(values["harness-dataset"] !== undefined && { harnessDataset: values["harness-dataset"] }),
      ...(testEnvironments !== undefined && { testEnvironments }),
      workers: positive("--workers", values.workers, true) ?? 2,
      checker: createEvalSyntaxChecker(),
      ...(!json && {
        onInstance: (instance) => {
          const verdict = instance.empty ? "empty" : instance.applies ? "applies" : "does not apply";
          io.stderr.write(`toad batch eval: ${instance.instance_id}: ${verdict}\n`);
        },
      }),
    }),
  );
  io.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : `${formatEvalReport(report)}\n`);
  return EXIT.ok;
}

/** The live line on a terminal (redrawn in place); on a pipe, one line per finished instance. */
function progressPrinter(io: CommandIo): { update(snapshot: ProgressSnapshot): void; end(): void } {
  const tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
  let drawn = false;
  return {
    update(snapshot) {
      const line = formatProgressLine(snapshot);
      if (tty) {
        io.stderr.write(`\r\x1b[2K${line}`);
        drawn = true;
        return;
      }
      if (!snapshot.last) return;
      const last = snapshot.last;
      io.stderr.write(
        `toad batch: ${last.instanceId}: ${last.status === "error" ? "error" : (last.exit ?? "-")}, ${last.empty ? "empty patch" : "patch"} · ${line}\n`,
      );
    },
    end() {
      if (drawn) io.stderr.write("\n");
    },
  };
}

function check<T>(result: { ok: true; value: T } | { ok: false; error: BatchError }): T {
  if (!result.ok)
    throw new CliError(result.error.message, result.error.code === "bad_run_dir" ? EXIT.failed : EXIT.usage);
  return result.value;
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === "") throw new CliError(`toad batch run needs ${flag}\n${USAGE}`);
  return value;
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) throw new CliError(`${flag} must be one of ${allowed.join(", ")}, got "${value}"`);
  return found;
}

function onOff(flag: string, value: string | undefined): boolean {
  return oneOf(flag, value ?? "on", ["on", "off"] as const) === "on";
}

function outputFormat(value: string | undefined): "text" | "json" {
  return oneOf("--output-format", value ?? "text", ["text", "json"] as const);
}

function positive(flag: string, value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!(number > 0) || (integer && !Number.isInteger(number))) {
    throw new CliError(`${flag} must be a positive ${integer ? "integer" : "number"}, got "${value}"`);
  }
  return number;
}

function selectionOf(values: { "instance-ids"?: string; filter?: string; slice?: string }) {
  return {
    ...(values["instance-ids"] !== undefined && {
      instanceIds: values["instance-ids"].split(",").filter(Boolean),
    }),
    ...(values.filter !== undefined && { filter: values.filter }),
    ...(values.slice !== undefined && { slice: values.slice }),
  };
}

async function fileHash(path: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(path))
    .digest("hex");
}

/** TOAD's version and the commit it was built from ("unknown" outside a checkout). */
function toadVersion(): { version: string; commit: string; dirty?: boolean } {
  const here = dirname(fileURLToPath(import.meta.url));
  const version = cliVersion();
  try {
    const git = (args: string[]) =>
      execFileSync("git", args, { cwd: here, encoding: "utf8", stdio: "pipe" }).trim();
    const commit = git(["rev-parse", "HEAD"]);
    return { version, commit, dirty: git(["status", "--porcelain", "--untracked-files=no"]) !== "" };
  } catch {
    return { version, commit: "unknown" };
  }
}
