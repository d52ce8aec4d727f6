/**
 * The sandbox service with TOAD_SANDBOX_DRIVER=k8s, against the fake
 * Kubernetes API server of packages/sandbox/test (a stand-in for a cluster:
 * see that file for what it does and does not cover). The pod's "filesystem"
 * is a temp folder here (TOAD_SANDBOX_WORKSPACE_DIR), its commands real processes.
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ExecToolEvent, SandboxServiceDefinition } from "@toad/proto";
import type { RunningApp } from "@toad/service-kit";
import { createChannel, createClient, Status } from "nice-grpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeKubeApi, startFakeKubeApi } from "../../../packages/sandbox/test/fake-kube-api.js";
import { sandboxDriverFromEnv, startSandboxServer } from "../src/index.js";

let dir: string;
let fake: FakeKubeApi;
let env: NodeJS.ProcessEnv;
let commit: string;
const apps: RunningApp[] = [];

beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), "toad-sandbox-k8s-")));
  const source = join(dir, "source");
  execFileSync("git", ["init", "-q", source]);
  await writeFile(join(source, "hello.txt"), "hello from the pod\n");
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", ...args], {
      cwd: source,
      encoding: "utf8",
    });
  git("add", ".");
  git("commit", "-qm", "first");
  commit = git("rev-parse", "HEAD").trim();
  fake = await startFakeKubeApi();
  const kubeconfig = join(dir, "kubeconfig.yaml");
  await writeFile(
    kubeconfig,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "fake", cluster: { server: fake.url, "insecure-skip-tls-verify": true } }],
      users: [{ name: "driver", user: { token: fake.token } }],
      contexts: [{ name: "fake", context: { cluster: "fake", user: "driver" } }],
      "current-context": "fake",
    }),
  );
  env = {
    PATH: process.env.PATH,
    HOME: dir,
    KUBECONFIG: kubeconfig,
    TOAD_SANDBOX_DRIVER: "k8s",
    TOAD_SANDBOX_NAMESPACE: "toad-sandboxes",
    TOAD_SANDBOX_IMAGE: "toad:test",
    TOAD_SANDBOX_WORKSPACE_DIR: join(dir, "pod"),
    TOAD_GRPC_PORT: "0",
    TOAD_METRICS_PORT: "0",
    TOAD_LOG_LEVEL: "error",
  };
  env.SOURCE_URL = `file://${source}`;
});
afterAll(async () => {
  for (const app of apps) await app.shutdown();
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("sandbox service with the Kubernetes pod driver", () => {
  it("creates a pod workspace, runs bash in it with output streamed, refuses disk tools, deletes the pod", async () => {
    const app = await startSandboxServer(env);
    apps.push(app);
    const sandbox = createClient(SandboxServiceDefinition, createChannel(`127.0.0.1:${app.port}`));

    const workspace = await sandbox.createWorkspace({ gitUrl: env.SOURCE_URL ?? "", commit: "" });
    expect(workspace).toMatchObject({ driver: "kubernetes", commit, root: join(dir, "pod", "repo") });
    const [pod] = [...fake.pods.values()];
    expect(pod?.metadata?.labels).toMatchObject({
      "toad.dev/sandbox-egress": "none",
      "toad.dev/workspace-id": workspace.workspaceId,
    });

    const events: ExecToolEvent[] = [];
    for await (const event of sandbox.execTool({
      workspaceId: workspace.workspaceId,
      callId: "c1",
      tool: "bash",
      argumentsJson: JSON.stringify({ command: "cat hello.txt; echo oops >&2" }),
    })) {
      events.push(event);
    }
    const streamed = events
      .flatMap((e) => (e.event?.$case === "output" ? [Buffer.from(e.event.value.data).toString()] : []))
      .join("");
    expect(streamed).toContain("hello from the pod");
    const result = events.at(-1)?.event;
    expect(result?.$case).toBe("result");
    if (result?.$case === "result") {
      expect(result.value.isError).toBe(false);
      expect(result.value.output).toContain("hello from the pod");
    }

    const refused = (async () => {
      for await (const _ of sandbox.execTool({
        workspaceId: workspace.workspaceId,
        callId: "c2",
        tool: "read_file",
        argumentsJson: JSON.stringify({ path: "hello.txt" }),
      })) {
        // no events expected
      }
    })();
    await expect(refused).rejects.toMatchObject({ code: Status.FAILED_PRECONDITION });
    await expect(refused).rejects.toThrow(/does not run in a Kubernetes workspace yet/);

    await sandbox.destroyWorkspace({ workspaceId: workspace.workspaceId });
    expect(fake.pods.size).toBe(0);
  });

  it("refuses a local_path workspace and reports a failed clone as FAILED_PRECONDITION", async () => {
    const app = await startSandboxServer(env);
    apps.push(app);
    const sandbox = createClient(SandboxServiceDefinition, createChannel(`127.0.0.1:${app.port}`));
    await expect(sandbox.createWorkspace({ localPath: dir })).rejects.toMatchObject({
      code: Status.INVALID_ARGUMENT,
    });
    await expect(
      sandbox.createWorkspace({ gitUrl: `file://${dir}/missing`, commit: "" }),
    ).rejects.toMatchObject({
      code: Status.FAILED_PRECONDITION,
      details: expect.stringMatching(/clone init container failed/),
    });
  });

  it("reads the driver choice from the environment and fails fast on bad settings", async () => {
    expect(sandboxDriverFromEnv({})).toBe("local");
    expect(sandboxDriverFromEnv({ TOAD_SANDBOX_DRIVER: "k8s" })).toBe("k8s");
    expect(() => sandboxDriverFromEnv({ TOAD_SANDBOX_DRIVER: "docker" })).toThrow(/must be "local" or "k8s"/);
    await expect(startSandboxServer({ ...env, TOAD_SANDBOX_TTL_SECONDS: "-1" })).rejects.toThrow(
      /TOAD_SANDBOX_TTL_SECONDS/,
    );
    await expect(
      startSandboxServer({ ...env, TOAD_SANDBOX_POD_TEMPLATE: join(dir, "none.yaml") }),
    ).rejects.toThrow(/TOAD_SANDBOX_POD_TEMPLATE .*cannot read it/);
  });
});
