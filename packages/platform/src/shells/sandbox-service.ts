import { randomUUID } from "node:crypto";
import { mkdir, realpath, rm } from "node:fs/promises";
import { join } from "node:path";
import * as pb from "@toad/proto";
import { createLocalSandbox, type OutputChunk, type SandboxPods } from "@toad/sandbox";
import { createBuiltinTools, createToolContext, executeToolCall } from "@toad/tools";
import { invalidArgument, notFound } from "../errors.js";
import type { KeyValueStore } from "../kv/port.js";
import { AsyncQueue } from "../util/async-queue.js";
import { createPodWorkspace, noPodDriver, podToolRun } from "./pod-workspaces.js";
import { checkout } from "./repo-dirs.js";

interface WorkspaceRecord {
  workspaceId: string;
  root: string;
  commit: string;
  /** Created from a git URL: the service owns the folder and deletes it on destroy. */
  owned: boolean;
  network: boolean;
  /** Set when the workspace is a job pod (the Kubernetes driver); `root` is then the path inside it. */
  podName?: string;
}

export interface SandboxServiceDeps {
  kv: KeyValueStore;
  /** Where clones of git sources go. */
  workspacesDir: string;
  /** Local paths a workspace may be created on (absolute prefixes); empty: none. */
  allowedLocalRoots: readonly string[];
  logger: { warn(message: string): void };
  /** The Kubernetes pod driver (TOAD_SANDBOX_DRIVER=k8s): each workspace is a job pod. Absent: local folders. */
  pods?: SandboxPods;
}

/**
 * `toad.v1.SandboxService` with the local driver: a workspace is a git clone
 * at a commit (or an allowed local folder), and each tool call runs through
 * the built-in tool pipeline in the bubblewrap sandbox, its output streamed
 * as it is produced. With `deps.pods`, a workspace is a job pod instead
 * (cloned by its init container; commands and the file tools' reads and
 * writes go through the exec API).
 */
export function createSandboxService(deps: SandboxServiceDeps): pb.SandboxServiceImplementation {
  const registry = createBuiltinTools();
  const key = (id: string) => `workspace:${id}`;
  async function load(workspaceId: string): Promise<WorkspaceRecord> {
    const raw = workspaceId === "" ? undefined : await deps.kv.get(key(workspaceId));
    if (raw === undefined) throw notFound(`workspace ${JSON.stringify(workspaceId)} not found`);
    return JSON.parse(raw) as WorkspaceRecord;
  }
  return {
    async createWorkspace(request) {
      const sources = [request.gitUrl !== "", request.localPath !== ""].filter(Boolean).length;
      if (sources !== 1)
        throw invalidArgument("give exactly one source: git_url (and commit), or local_path");
      const workspaceId = `ws_${randomUUID()}`;
      let record: WorkspaceRecord;
      if (deps.pods) {
        const pod = await createPodWorkspace(deps.pods, workspaceId, request);
        record = { workspaceId, root: pod.root, commit: pod.commit ?? "", owned: true, network: pod.network };
        record.podName = pod.podName;
        await deps.kv.set(key(workspaceId), JSON.stringify(record));
        return { workspaceId, root: record.root, commit: record.commit, driver: "kubernetes" };
      }
      if (request.gitUrl !== "") {
        const root = join(deps.workspacesDir, workspaceId);
        await mkdir(deps.workspacesDir, { recursive: true });
        const commit = await checkout(request.gitUrl, request.commit, root).catch((error: unknown) => {
          throw invalidArgument(
            `cannot check out ${request.gitUrl}: ${error instanceof Error ? error.message : String(error)}`,
          );
        });
        record = { workspaceId, root, commit, owned: true, network: request.network };
      } else {
        const root = await realpath(request.localPath).catch(() => {
          throw invalidArgument(`local_path ${JSON.stringify(request.localPath)} does not exist`);
        });
        if (!deps.allowedLocalRoots.some((prefix) => root === prefix || root.startsWith(`${prefix}/`))) {
          throw invalidArgument(`local_path ${root} is not under an allowed root (TOAD_SANDBOX_LOCAL_ROOTS)`);
        }
        record = { workspaceId, root, commit: "", owned: false, network: request.network };
      }
      await deps.kv.set(key(workspaceId), JSON.stringify(record));
      return { workspaceId, root: record.root, commit: record.commit, driver: "local" };
    },

    async *execTool(request, context) {
      const workspace = await load(request.workspaceId);
      if (workspace.podName !== undefined && !deps.pods) throw noPodDriver(workspace.workspaceId);
      const output = new AsyncQueue<pb.ExecToolEvent>();
      const onOutput = (chunk: OutputChunk) =>
        output.push({
          event: {
            $case: "output",
            value: {
              stream:
                chunk.stream === "stderr"
                  ? pb.OutputChunk_Stream.STREAM_STDERR
                  : pb.OutputChunk_Stream.STREAM_STDOUT,
              data: Buffer.from(chunk.text),
            },
          },
        });
      const run =
        workspace.podName !== undefined && deps.pods
          ? podToolRun(
              deps.pods,
              registry,
              { ...workspace, podName: workspace.podName },
              context.signal,
              onOutput,
            )
          : {
              registry,
              context: await createToolContext({
                workspaceRoot: workspace.root,
                sandbox: await createLocalSandbox({ workspaceRoot: workspace.root, logger: deps.logger }),
                signal: context.signal,
                onOutput,
              }),
            };
      const running = executeToolCall(
        run.registry,
        { callId: request.callId, name: request.tool, argumentsJson: request.argumentsJson },
        run.context,
      ).then(
        (outcome) => {
          output.push({
            event: {
              $case: "result",
              value: {
                output: outcome.output,
                isError: outcome.isError,
                ...(outcome.errorKind !== undefined && { errorKind: outcome.errorKind }),
                ...(outcome.diff !== undefined && { diff: outcome.diff }),
                durationMs: outcome.durationMs,
                truncated: false,
              },
            },
          });
          output.end();
        },
        (error: unknown) => output.fail(error),
      );
      yield* output;
      await running;
    },

    async destroyWorkspace(request) {
      const workspace = await load(request.workspaceId);
      if (workspace.podName !== undefined) {
        if (!deps.pods) throw noPodDriver(workspace.workspaceId);
        await deps.pods.destroy(workspace.podName);
      } else if (workspace.owned) await rm(workspace.root, { recursive: true, force: true });
      await deps.kv.delete(key(request.workspaceId));
      return {};
    },
  };
}
