import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalSandbox, probeBubblewrap, type SandboxDriver } from "../src/index.js";
import { driverContract } from "./contract.js";

const probe = await probeBubblewrap(tmpdir());
if (!probe.ok) {
  // Printed so a skipped run says why; the tests need a working bwrap (apt-get install bubblewrap).
  process.stderr.write(`[sandbox] skipping bubblewrap tests: ${probe.reason}\n`);
}

async function bubblewrapDriver(workspace: string): Promise<SandboxDriver> {
  const warnings: string[] = [];
  const driver = await createLocalSandbox({
    workspaceRoot: workspace,
    logger: { warn: (m) => warnings.push(m) },
  });
  expect(warnings).toEqual([]);
  expect(driver.describe().driver).toBe("bubblewrap");
  return driver;
}

describe.skipIf(!probe.ok)("BubblewrapDriver (real bwrap)", () => {
  const fixture = driverContract(bubblewrapDriver);

  let outside: string;
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    outside = await mkdtemp(path.join(tmpdir(), "toad-outside-"));
    server = createServer((socket) => socket.end("hello from host\n"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    port = typeof address === "object" && address ? address.port : 0;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(outside, { recursive: true, force: true });
  });

  it("lets the command write inside the workspace", async () => {
    const { driver, workspace } = fixture();
    const result = await driver.exec({ command: "mkdir -p sub && echo inside > sub/file.txt" });
    expect(result.exitCode).toBe(0);
    expect(await readFile(path.join(workspace, "sub/file.txt"), "utf8")).toBe("inside\n");
  });

  it("refuses writes outside the workspace: the root is read-only and the host /tmp is hidden", async () => {
    const { driver } = fixture();
    const readOnly = await driver.exec({ command: "echo x > /usr/toad-sandbox-probe" });
    expect(readOnly.exitCode).not.toBe(0);
    expect(readOnly.stderr).toContain("Read-only file system");
    expect(existsSync("/usr/toad-sandbox-probe")).toBe(false);

    // A sibling directory of the workspace under /tmp: the private /tmp does not even show it.
    const target = path.join(outside, "escaped.txt");
    const hidden = await driver.exec({ command: `echo x > ${target}` });
    expect(hidden.exitCode).not.toBe(0);
    expect(existsSync(target)).toBe(false);
  });

  it("cannot reach a TCP server on the host's 127.0.0.1 without network", async () => {
    const { driver } = fixture();
    const connect = `exec 3<>/dev/tcp/127.0.0.1/${port} && head -n1 <&3`;
    const offline = await driver.exec({ command: connect, timeoutMs: 5_000 });
    expect(offline.exitCode).not.toBe(0);
    expect(offline.stdout).not.toContain("hello from host");
    expect(offline.stderr).toContain("Connection refused");

    // The same command with network allowed proves the server was reachable.
    const online = await driver.exec({ command: connect, network: true, timeoutMs: 5_000 });
    expect(online.exitCode).toBe(0);
    expect(online.stdout).toBe("hello from host\n");
  });

  it("sees the host filesystem read-only and keeps a private /tmp", async () => {
    const { driver } = fixture();
    await writeFile(path.join(outside, "visible.txt"), "x");
    const result = await driver.exec({
      command: "cat /etc/hostname >/dev/null && echo tmp > /tmp/t && cat /tmp/t",
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe("tmp\n");
    expect(existsSync("/tmp/t")).toBe(false);
  });

  it("describes itself as isolated", () => {
    expect(fixture().driver.describe()).toMatchObject({
      driver: "bubblewrap",
      filesystemIsolated: true,
      networkIsolated: true,
    });
  });
});
