/**
 * The sandbox service with TOAD_SANDBOX_DRIVER=k8s, against the fake
 * Kubernetes API server of packages/sandbox/test (a stand-in for a cluster:
 * see that file for what it does and does not cover). The pod's "filesystem"
 * is a temp folder here (TOAD_SANDBOX_WORKSPACE_DIR), its commands real processes.
 * The file tools' operations are real commands too (bash, readlink, stat, awk,
 * base64, rg, run by the fake's exec): what this cannot show is a pod's own
 * filesystem being separate from the service's, so the tests count the exec
 * calls to prove the file tools went through the exec API, and create the
 * escaping symlinks with the bash tool, inside the "pod".
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ExecToolEvent, type ExecToolResult, SandboxServiceDefinition } from "@toad/proto";
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
  await mkdir(join(source, "src"));
  await writeFile(
    join(source, "src", "app.ts"),
    "export const add = (a: number, b: number) => a + b;\n// TODO subtract\n",
  );
  await writeFile(join(source, ".gitignore"), "build/\n");
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
  it("creates a pod workspace, runs bash in it with output streamed, deletes the pod", async () => {
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

    await sandbox.destroyWorkspace({ workspaceId: workspace.workspaceId });
    expect(fake.pods.size).toBe(0);
  });

  it("runs every file tool in the pod through the exec API, inside the workspace boundary", async () => {
    // A "pod" filesystem of its own: the fake leaves the first test's checkout behind.
    const app = await startSandboxServer({ ...env, TOAD_SANDBOX_WORKSPACE_DIR: join(dir, "pod-files") });
    apps.push(app);
    const sandbox = createClient(SandboxServiceDefinition, createChannel(`127.0.0.1:${app.port}`));
    const workspace = await sandbox.createWorkspace({ gitUrl: env.SOURCE_URL ?? "", commit: "" });
    const root = workspace.root;
    let callId = 0;
    const call = async (tool: string, args: unknown): Promise<ExecToolResult & { execs: number }> => {
      const before = fake.requests.filter((r) => r.startsWith("EXEC ")).length;
      let result: ExecToolResult | undefined;
      for await (const event of sandbox.execTool({
        workspaceId: workspace.workspaceId,
        callId: `f${++callId}`,
        tool,
        argumentsJson: JSON.stringify(args),
      })) {
        if (event.event?.$case === "result") result = event.event.value;
      }
      if (!result) throw new Error(`${tool}: no result`);
      return { ...result, execs: fake.requests.filter((r) => r.startsWith("EXEC ")).length - before };
    };

    // read_file: the path resolved and the lines read in the pod, one exec each.
    const read = await call("read_file", { path: "hello.txt" });
    expect(read).toMatchObject({ isError: false, output: "     1\thello from the pod", execs: 2 });

    // edit_file: read, write (staged and swapped in the pod), the diff carried back.
    const edit = await call("edit_file", {
      path: "src/app.ts",
      old_string: "// TODO subtract",
      new_string: "export const sub = (a: number, b: number) => a - b;",
    });
    expect(edit.isError, edit.output).toBe(false);
    expect(edit.output).toBe("Edited src/app.ts (+1 -1)");
    expect(edit.diff).toContain("-// TODO subtract\n+export const sub = (a: number, b: number) => a - b;");
    expect(await readFile(join(root, "src", "app.ts"), "utf8")).toContain("export const sub");

    // write_file: a new file in a new folder; list_dir and grep see it, .gitignore is honoured.
    const write = await call("write_file", { path: "build/out.js", content: "// TODO built\n" });
    expect(write).toMatchObject({ isError: false, output: "Created build/out.js (+1 -0)" });
    await call("write_file", { path: "docs/notes.md", content: "TODO docs\n" });
    const list = await call("list_dir", { path: ".", depth: 2 });
    expect(list.output).toBe(
      [
        "./",
        "  .gitignore  (7 bytes)",
        "  docs/",
        "    notes.md  (10 bytes)",
        "  hello.txt  (19 bytes)",
        "  src/",
        "    app.ts  (104 bytes)",
        "[2 entries hidden: .git or ignored]",
      ].join("\n"),
    );
    expect(list.execs).toBe(3);
    const grep = await call("grep", { pattern: "TODO" });
    expect(grep.output).toBe("docs/notes.md:1:TODO docs\n[1 match in 1 file]");
    expect(grep.execs).toBe(3);
    const glob = await call("glob", { pattern: "**/*.ts" });
    expect(glob.output).toBe("1 file:\nsrc/app.ts");

    // A write bigger than one command's arguments: staged in chunks, then swapped in.
    const large = `${"x".repeat(99)}\n`.repeat(3_000);
    const staged = await call("write_file", { path: "large.txt", content: large });
    expect(staged).toMatchObject({ isError: false, output: "Created large.txt (+3000 -0)" });
    expect(staged.execs).toBeGreaterThan(3);
    expect(await readFile(join(root, "large.txt"), "utf8")).toBe(large);

    // The boundary, checked in the pod: .. and links made inside the pod that lead out.
    const outside = join(dir, "outside-secret.txt");
    await writeFile(outside, "secret\n");
    const links = await call("bash", {
      command: `ln -s ${outside} leak.txt && ln -s ${dir} up && ln -s ${join(dir, "not-yet.txt")} dangling.txt`,
    });
    expect(links.isError, links.output).toBe(false);
    for (const [tool, args] of [
      ["read_file", { path: "../outside-secret.txt" }],
      ["read_file", { path: "leak.txt" }],
      ["read_file", { path: "up/outside-secret.txt" }],
      ["edit_file", { path: "leak.txt", old_string: "secret", new_string: "x" }],
      ["write_file", { path: "dangling.txt", content: "escaped" }],
      ["list_dir", { path: "up" }],
      ["grep", { pattern: "secret", path: "up" }],
    ] as const) {
      const refused = await call(tool, args);
      expect(refused, `${tool} ${JSON.stringify(args)}`).toMatchObject({
        isError: true,
        errorKind: "outside_workspace",
      });
      expect(refused.output).not.toContain("secret\n");
    }
    await expect(readFile(join(dir, "not-yet.txt"))).rejects.toThrow(/ENOENT/);

    // Oversized: a 6 MB one-line file made in the pod is refused by the edit tools and capped by read_file.
    await call("bash", { command: "head -c 6000000 /dev/zero | tr '\\0' a > big.txt" });
    const tooBig = await call("edit_file", { path: "big.txt", old_string: "aaa", new_string: "b" });
    expect(tooBig).toMatchObject({ isError: true, errorKind: "too_large" });
    const capped = await call("read_file", { path: "big.txt" });
    expect(capped.isError).toBe(false);
    expect(capped.output).toMatch(/^ {5}1\ta{2000} \[\.\.\. 5998000 more characters\]$/);

    await sandbox.destroyWorkspace({ workspaceId: workspace.workspaceId });
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
