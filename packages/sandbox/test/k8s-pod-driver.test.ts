/**
 * The pod driver against a fake Kubernetes API server (test/fake-kube-api.ts):
 * a stand-in for a cluster, since none can run here. Covered for real: the
 * driver's API calls through @kubernetes/client-node (create, get, patch,
 * delete, list, exec over WebSocket with v5 and v4 subprotocols, an argv of
 * a few hundred KiB in the exec URL as the exec file system sends), the clone
 * script run against a real git repository, and every command run as a real
 * process (exit codes, streams, timeouts and aborts killing the process
 * group, output caps, the in-pod working-directory check). Not covered: what
 * only a cluster does (scheduling, image pulls, container isolation,
 * NetworkPolicy and resource-limit enforcement, admission, RBAC).
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectPodApi,
  EXPIRES_ANNOTATION,
  type KubernetesPodDriver,
  kubernetesSandboxConfigFromEnv,
  LABELS,
  type PodApi,
  type PodLayout,
  SandboxPodError,
  SandboxPods,
} from "../src/index.js";
import { driverContract } from "./contract.js";
import { type FakeKubeApi, startFakeKubeApi } from "./fake-kube-api.js";

const NAMESPACE = "toad-sandboxes";
const config = kubernetesSandboxConfigFromEnv({
  TOAD_SANDBOX_NAMESPACE: NAMESPACE,
  TOAD_SANDBOX_IMAGE: "toad:test",
  TOAD_SANDBOX_TTL_SECONDS: "600",
  TOAD_SANDBOX_START_TIMEOUT_SECONDS: "10",
});

async function apiFor(fake: FakeKubeApi): Promise<PodApi> {
  return connectPodApi({
    kind: "options",
    configure: (kc) =>
      kc.loadFromOptions({
        clusters: [{ name: "fake", server: fake.url, skipTLSVerify: true }],
        users: [{ name: "driver", token: fake.token }],
        contexts: [{ name: "fake", cluster: "fake", user: "driver" }],
        currentContext: "fake",
      }),
  });
}

/** A source repository with two commits; the pod must check out the first. */
async function makeSourceRepo(dir: string): Promise<{ url: string; first: string }> {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8" }).trim();
  await mkdir(dir, { recursive: true });
  git("init", "-q", "-b", "main");
  git("config", "user.email", "t@example.com");
  git("config", "user.name", "t");
  await writeFile(path.join(dir, "README.md"), "first\n");
  git("add", ".");
  git("commit", "-q", "-m", "first");
  const first = git("rev-parse", "HEAD");
  await writeFile(path.join(dir, "README.md"), "second\n");
  git("commit", "-q", "-am", "second");
  return { url: `file://${dir}`, first };
}

let fake: FakeKubeApi;
let api: PodApi;
let scratch: string;
let source: { url: string; first: string };

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), "toad-k8s-"));
  fake = await startFakeKubeApi();
  api = await apiFor(fake);
  source = await makeSourceRepo(path.join(scratch, "source"));
});
afterAll(async () => {
  await fake?.close();
  await rm(scratch, { recursive: true, force: true });
});

/** The "pod's" filesystem is a temp folder on this machine: the workspace mount and root are it. */
const layoutAt = (workspace: string): PodLayout => ({
  workspaceMount: workspace,
  workspaceRoot: workspace,
  tmpMount: tmpdir(),
});
const podsAt = (workspace: string, now?: () => number) =>
  new SandboxPods({
    api,
    config,
    layout: layoutAt(workspace),
    pollMs: 20,
    limits: { killGraceMs: 300 },
    ...(now && { now }),
  });

describe("KubernetesPodDriver (fake API server, real processes)", () => {
  const fixture = driverContract(
    async (workspace) =>
      podsAt(workspace).create({
        workspaceId: "ws_contract",
        gitUrl: source.url,
        commit: source.first,
        network: false,
      }),
    {
      inheritsHostEnv: false,
      dispose: (driver) => api.delete(NAMESPACE, (driver as KubernetesPodDriver).podName),
    },
  );

  it("cloned exactly the commit asked for, then cut egress and describes itself", async () => {
    const { driver, workspace } = fixture();
    const head = await driver.exec({ command: "git rev-parse HEAD && cat README.md" });
    expect(head.stdout).toBe(`${source.first}\nfirst\n`);
    const pod = fake.pods.get(`${NAMESPACE}/${(driver as KubernetesPodDriver).podName}`);
    expect(pod?.metadata?.labels?.[LABELS.egress]).toBe("none");
    expect(driver.describe()).toMatchObject({
      driver: "kubernetes",
      workspaceRoot: workspace,
      filesystemIsolated: true,
      networkIsolated: true,
    });
  });

  it("refuses, inside the pod, a working directory that a symlink leads out of", async () => {
    const { driver, workspace } = fixture();
    await symlink("/etc", path.join(workspace, "escape"));
    const result = await driver.exec({ command: "ls", cwd: "escape" });
    expect(result.error).toEqual({
      kind: "invalid_cwd",
      message: `working directory ${path.join(workspace, "escape")} leads outside the workspace`,
    });
    const missing = await driver.exec({ command: "ls", cwd: "no/such/dir" });
    expect(missing.error?.kind).toBe("invalid_cwd");
  });

  it("carries a large argv (the exec file system's writes) and binary output as base64 intact", async () => {
    const { driver } = fixture();
    // Two 96 KiB base64 arguments: the most one write command of the exec file system sends inline.
    const payload = Buffer.from(Array.from({ length: 72 * 1024 * 2 }, (_, i) => (i * 7919) % 256));
    const half = payload.length / 2;
    const chunks = [payload.subarray(0, half), payload.subarray(half)].map((b) => b.toString("base64"));
    const result = await driver.exec({
      command: ["bash", "-c", 'for c; do printf %s "$c" | base64 -d; done | base64', "t", ...chunks],
      maxOutputBytes: 1024 * 1024,
    });
    expect(result.exitCode).toBe(0);
    expect(Buffer.from(result.stdout, "base64").equals(payload)).toBe(true);
  });

  it("reports a signal-killed command's exit code as the shell does when it was not us", async () => {
    const result = await fixture().driver.exec({ command: "kill -9 $$" });
    expect(result).toMatchObject({ exitCode: 137, timedOut: false, aborted: false });
  });

  it("passes the request's env through `env`, safely quoted", async () => {
    const result = await fixture().driver.exec({
      command: ["printenv", "ODD"],
      env: { ODD: "a b 'c' $HOME \"d\"" },
    });
    expect(result.stdout).toBe("a b 'c' $HOME \"d\"\n");
    const bad = await fixture().driver.exec({ command: "true", env: { "BAD NAME": "x" } });
    expect(bad.error?.message).toMatch(/bad environment variable name/);
  });
});

describe("SandboxPods lifecycle (fake API server)", () => {
  it("opens egress only when asked", async () => {
    const workspace = await mkdtemp(path.join(scratch, "ws-"));
    const driver = await podsAt(workspace).create({
      workspaceId: "ws_open",
      gitUrl: source.url,
      commit: "",
      network: true,
    });
    try {
      expect(fake.pods.get(`${NAMESPACE}/${driver.podName}`)?.metadata?.labels?.[LABELS.egress]).toBe("open");
      expect(driver.describe().networkIsolated).toBe(false);
      // commit "" is the remote's HEAD: the second commit.
      expect((await driver.exec({ command: "cat README.md" })).stdout).toBe("second\n");
    } finally {
      await api.delete(NAMESPACE, driver.podName);
    }
  });

  it("fails creation clearly when the clone fails, and deletes the pod", async () => {
    const workspace = await mkdtemp(path.join(scratch, "ws-"));
    const before = fake.pods.size;
    const creating = podsAt(workspace).create({
      workspaceId: "ws_bad",
      gitUrl: source.url,
      commit: "0000000000000000000000000000000000000000",
      network: false,
    });
    await expect(creating).rejects.toThrow(SandboxPodError);
    await expect(creating).rejects.toThrow(/clone init container failed/);
    expect(fake.pods.size).toBe(before);
  });

  it("destroys a pod at job end; exec into it afterwards is an error result, not a throw", async () => {
    const workspace = await mkdtemp(path.join(scratch, "ws-"));
    const pods = podsAt(workspace);
    const driver = await pods.create({
      workspaceId: "ws_end",
      gitUrl: source.url,
      commit: source.first,
      network: false,
    });
    await pods.destroy(driver.podName);
    expect(fake.pods.has(`${NAMESPACE}/${driver.podName}`)).toBe(false);
    const result = await driver.exec({ command: "true" });
    expect(result.error?.kind).toBe("spawn_failed");
    await pods.destroy(driver.podName); // already gone: fine
  });

  it("moves the expiry forward as commands run, and the janitor reaps only expired pods", async () => {
    let clock = Date.parse("2026-11-25T10:00:00Z");
    const now = () => clock;
    const a = await mkdtemp(path.join(scratch, "ws-"));
    const b = await mkdtemp(path.join(scratch, "ws-"));
    const old = await podsAt(a, now).create({
      workspaceId: "ws_old",
      gitUrl: source.url,
      commit: "",
      network: false,
    });
    clock += 400_000;
    const fresh = await podsAt(b, now).create({
      workspaceId: "ws_new",
      gitUrl: source.url,
      commit: "",
      network: false,
    });
    const expiry = (name: string) =>
      fake.pods.get(`${NAMESPACE}/${name}`)?.metadata?.annotations?.[EXPIRES_ANNOTATION];
    expect(expiry(old.podName)).toBe("2026-11-25T10:10:00.000Z");
    // A command 400 s in (over ttl/4) moves the fresh pod's expiry; the old one stays idle.
    clock += 200_000;
    await fresh.exec({ command: "true" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(expiry(fresh.podName)).toBe(new Date(clock + 600_000).toISOString());
    // Another sandbox-service replica (a fresh SandboxPods) attaching to the old pod also moves its expiry…
    const other = podsAt(a, now);
    await other.attach(old.podName, false).exec({ command: "true" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(expiry(old.podName)).toBe(new Date(clock + 600_000).toISOString());
    // …and once the old pod has been idle past its TTL the janitor reaps it; the one used since stays.
    clock += 700_000;
    await fresh.exec({ command: "true" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const deleted = await podsAt(a, now).sweep();
    expect(deleted).toEqual([old.podName]);
    expect(fake.pods.has(`${NAMESPACE}/${fresh.podName}`)).toBe(true);
    await api.delete(NAMESPACE, fresh.podName);
  });

  it("speaks the v4 exec subprotocol too", async () => {
    const v4 = await startFakeKubeApi({ protocols: ["v4.channel.k8s.io"] });
    try {
      const v4Api = await apiFor(v4);
      const workspace = await mkdtemp(path.join(scratch, "ws-"));
      const pods = new SandboxPods({ api: v4Api, config, layout: layoutAt(workspace), pollMs: 20 });
      const driver = await pods.create({
        workspaceId: "ws_v4",
        gitUrl: source.url,
        commit: "",
        network: false,
      });
      const result = await driver.exec({ command: "echo out; echo err >&2; exit 4" });
      expect(result).toMatchObject({ exitCode: 4, stdout: "out\n", stderr: "err\n" });
      expect(v4.execProtocols).toContain("v4.channel.k8s.io");
      expect(fake.execProtocols).toContain("v5.channel.k8s.io");
    } finally {
      await v4.close();
    }
  });

  it("refuses a wrong token: the driver authenticates every call", async () => {
    const wrong = await connectPodApi({
      kind: "options",
      configure: (kc) =>
        kc.loadFromOptions({
          clusters: [{ name: "fake", server: fake.url, skipTLSVerify: true }],
          users: [{ name: "driver", token: "wrong" }],
          contexts: [{ name: "fake", cluster: "fake", user: "driver" }],
          currentContext: "fake",
        }),
    });
    await expect(wrong.list(NAMESPACE, `${LABELS.tier}=sandbox-job`)).rejects.toThrow(/401/);
    expect(await readFile(path.join(source.url.slice("file://".length), "README.md"), "utf8")).toBe(
      "second\n",
    );
  });
});
