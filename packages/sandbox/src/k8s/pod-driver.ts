import { randomUUID } from "node:crypto";
import path from "node:path";
import { Writable } from "node:stream";
import type { V1Status } from "@kubernetes/client-node";
import { commandArgv } from "../local-driver.js";
import { StreamCapture } from "../output-cap.js";
import { failedResult } from "../run-process.js";
import {
  DEFAULT_LIMITS,
  type DriverLimits,
  type ExecRequest,
  type ExecResult,
  type OutputStream,
  type SandboxDescription,
  type SandboxDriver,
} from "../types.js";
import { killArgv, refusedCwd, wrapCommand } from "./exec-script.js";
import type { PodApi } from "./pod-api.js";
import { DEFAULT_LAYOUT, type PodLayout, WORKSPACE_CONTAINER, workspaceRootIn } from "./pod-spec.js";

export interface PodDriverOptions {
  api: PodApi;
  namespace: string;
  podName: string;
  /** Whether the pod was labelled for open egress (decided when the workspace was created). */
  network: boolean;
  limits?: Partial<DriverLimits>;
  layout?: PodLayout;
  /** Shell for string commands. Default /bin/bash. */
  shell?: string;
  /** Called as each command starts (SandboxPods moves the pod's idle expiry forward). */
  onActivity?: () => void;
}

const SIGNALS: Record<number, string> = { 9: "SIGKILL", 15: "SIGTERM" };

/** The exit code in an exec status: `Success` is 0; `NonZeroExitCode` carries it in `details.causes`. */
export function exitCodeOf(status: V1Status): number | undefined {
  if (status.status === "Success") return 0;
  if (status.reason !== "NonZeroExitCode") return undefined;
  const cause = status.details?.causes?.find((c) => c.reason === "ExitCode");
  const code = Number(cause?.message);
  return Number.isInteger(code) ? code : undefined;
}

/**
 * Runs commands in one pod through the exec API, with the same contract as
 * the local drivers: capped head+tail output, live chunks, timeouts and
 * aborts that kill the command's whole process group (by a second exec, see
 * exec-script.ts), a working directory that cannot leave the workspace.
 * Isolation is the pod's: its own filesystem, the NetworkPolicy's egress.
 */
export class KubernetesPodDriver implements SandboxDriver {
  private readonly limits: DriverLimits;
  private readonly layout: PodLayout;

  constructor(private readonly options: PodDriverOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.layout = options.layout ?? DEFAULT_LAYOUT;
  }

  get podName(): string {
    return this.options.podName;
  }

  async exec(request: ExecRequest): Promise<ExecResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    if (request.signal?.aborted) {
      const { error: _none, ...notStarted } = failedResult({ kind: "spawn_failed", message: "aborted" });
      return { ...notStarted, aborted: true };
    }
    const argv = commandArgv(request.command, this.options.shell ?? "/bin/bash");
    if (argv.length === 0) return failedResult({ kind: "spawn_failed", message: "empty command" });
    const pidFile = path.posix.join(this.layout.tmpMount, `toad-exec-${randomUUID()}.pid`);
    const wrapped = wrapCommand({
      workspaceRoot: workspaceRootIn(this.layout),
      cwd: request.cwd,
      pidFile,
      stdin: request.stdin,
      env: request.env,
      argv,
    });
    if (!wrapped.ok) return failedResult(wrapped.error);
    this.options.onActivity?.();

    const capture = new StreamCapture(request.maxOutputBytes ?? this.limits.maxOutputBytes, request.onOutput);
    const sink = (stream: OutputStream) =>
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          capture.push(stream, chunk);
          callback();
        },
      });
    let running: Awaited<ReturnType<PodApi["exec"]>>;
    try {
      running = await this.options.api.exec(
        this.options.namespace,
        this.options.podName,
        WORKSPACE_CONTAINER,
        wrapped.argv,
        { stdout: sink("stdout"), stderr: sink("stderr") },
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return failedResult(
        { kind: "spawn_failed", message: `exec in pod ${this.options.podName}: ${message}` },
        elapsed(),
      );
    }

    let timedOut = false;
    let aborted = false;
    const timers: NodeJS.Timeout[] = [];
    const terminate = () => {
      void this.signalGroup(pidFile, "TERM");
      timers.push(setTimeout(() => void this.signalGroup(pidFile, "KILL"), this.limits.killGraceMs));
      // If the pod cannot be reached to kill the command, stop waiting for it.
      timers.push(setTimeout(() => running.close(), this.limits.killGraceMs + 5_000));
    };
    const onAbort = () => {
      aborted = true;
      terminate();
    };
    timers.push(
      setTimeout(() => {
        timedOut = true;
        terminate();
      }, request.timeoutMs ?? this.limits.defaultTimeoutMs),
    );
    request.signal?.addEventListener("abort", onAbort, { once: true });
    const status = await running.done;
    for (const timer of timers) clearTimeout(timer);
    request.signal?.removeEventListener("abort", onAbort);

    const output = capture.result();
    if (status === undefined && (timedOut || aborted)) {
      // We gave up on a command the pod could not be reached to kill: report what we saw.
      return { exitCode: null, signal: null, ...output, timedOut, aborted, durationMs: elapsed() };
    }
    if (status === undefined) {
      return failedResult(
        {
          kind: "spawn_failed",
          message: `exec stream to pod ${this.options.podName} closed without an exit status`,
        },
        elapsed(),
      );
    }
    const code = exitCodeOf(status);
    if (code === undefined) {
      return failedResult(
        {
          kind: "spawn_failed",
          message: `exec in pod ${this.options.podName} failed: ${status.message ?? status.reason}`,
        },
        elapsed(),
      );
    }
    const refused = refusedCwd(code, output.stderr);
    if (refused) return failedResult(refused, elapsed());
    // The shell reports a command killed by signal N as 128 + N; when we killed it, say so as the local drivers do.
    const killed = (timedOut || aborted) && code > 128;
    return {
      exitCode: killed ? null : code,
      signal: killed ? (SIGNALS[code - 128] ?? `signal ${code - 128}`) : null,
      ...output,
      timedOut,
      aborted,
      durationMs: elapsed(),
    };
  }

  describe(): SandboxDescription {
    return {
      driver: "kubernetes",
      workspaceRoot: workspaceRootIn(this.layout),
      filesystemIsolated: true,
      networkIsolated: !this.options.network,
      summary:
        `pod ${this.options.namespace}/${this.options.podName}: own filesystem, ` +
        (this.options.network ? "egress open (NetworkPolicy)" : "no network (NetworkPolicy)"),
    };
  }

  /** Signals the process group recorded in `pidFile` with a second exec; a command already gone is fine. */
  private async signalGroup(pidFile: string, signal: "TERM" | "KILL"): Promise<void> {
    const ignore = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    try {
      const kill = await this.options.api.exec(
        this.options.namespace,
        this.options.podName,
        WORKSPACE_CONTAINER,
        killArgv(pidFile, signal),
        { stdout: ignore, stderr: ignore },
      );
      await kill.done;
    } catch {
      // The pod is gone or unreachable: the stream close and activeDeadlineSeconds cover it.
    }
  }
}
