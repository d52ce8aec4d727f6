import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseToken } from "@toad/platform";
import { ToolLocation } from "@toad/proto";
import { ClientError, Status } from "nice-grpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../packages/platform/test/support/servers.js";
import { main } from "../src/main.js";
import { connectGateway } from "../src/remote/index.js";
import { startTeamServer, type TeamServer } from "../src/remote/team-server.js";

// `toad admin …` run in process (main(), the same entry as bin/toad.js) against
// `toad serve` started in process on a free port: real gRPC, tokens in its SQLite file.
let dir: string;
let server: TeamServer;
let root: string;

beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), "toad-admin-")));
  server = await startTeamServer(
    {
      PATH: process.env.PATH,
      HOME: join(dir, "home"),
      TOAD_DATA_DIR: join(dir, "data"),
      TOAD_CONFIG_HOME: join(dir, "config"),
      TOAD_GRPC_PORT: String(await freePort()),
      TOAD_METRICS_PORT: "0",
      // No model is called: the sessions below are only created and listed.
      ANTHROPIC_API_KEY: "sk-ant-test",
      ANTHROPIC_BASE_URL: "http://127.0.0.1:9",
    },
    { host: "127.0.0.1" },
  );
  root = server.newAdminToken ?? "";
}, 30_000);
afterAll(async () => {
  await server?.shutdown();
  await rm(dir, { recursive: true, force: true });
});

/** Runs `toad admin …` with TOAD_TOKEN=token; stdout, stderr and the exit code. */
async function toadAdmin(token: string, ...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(["admin", ...args], {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    stdin: process.stdin,
    env: { TOAD_GATEWAY_URL: server.address, TOAD_TOKEN: token },
    cwd: dir,
  });
  return { code, stdout, stderr };
}

async function json<T>(token: string, ...args: string[]): Promise<T> {
  const run = await toadAdmin(token, ...args, "--output-format", "json");
  expect(run, run.stderr).toMatchObject({ code: 0 });
  return JSON.parse(run.stdout) as T;
}

describe("toad admin", () => {
  it("manages orgs, users and tokens; a minted token works in its org until revoked", async () => {
    expect(root).toMatch(/^toad_/);
    const created = await toadAdmin(root, "org", "create", "acme");
    expect(created).toMatchObject({ code: 0, stderr: "" });
    expect(created.stdout).toMatch(/^created org org_[0-9a-f]+ \(acme\)\n$/);
    expect((await toadAdmin(root, "org", "create", "globex")).code).toBe(0);
    const listed = await toadAdmin(root, "org", "list");
    expect(listed.stdout).toMatch(/^ID +NAME +CREATED\n/);
    expect(listed.stdout).toMatch(/acme/);
    expect(listed.stdout).toMatch(/globex/);

    const { user: ada } = await json<{ user: { userId: string; orgId: string } }>(
      root,
      "user",
      "create",
      "--org",
      "acme",
      "ada",
    );
    const { user: bob } = await json<{ user: { userId: string } }>(
      root,
      "user",
      "create",
      "--org",
      "globex",
      "bob",
    );

    // The secret alone on stdout, what it is on stderr.
    const minted = await toadAdmin(
      root,
      "token",
      "create",
      "--user",
      ada.userId,
      "--name",
      "laptop",
      "--expires",
      "30d",
    );
    expect(minted.code).toBe(0);
    const adaToken = minted.stdout.trim();
    expect(adaToken).toMatch(/^toad_[0-9a-f]{16}_\S+$/);
    expect(minted.stderr).toMatch(
      /for user usr_\w+ in org org_\w+, scopes sessions,models,costs,context,tokens, expires 20/,
    );
    const bobToken = (
      await toadAdmin(root, "token", "create", "--user", bob.userId, "--scopes", "sessions")
    ).stdout.trim();

    // The new token serves session RPCs, scoped to its org.
    const ada1 = connectGateway({ url: server.address, token: adaToken });
    const bob1 = connectGateway({ url: server.address, token: bobToken });
    try {
      const session = await ada1.session.createSession({
        cwd: dir,
        model: "claude-sonnet-4-5",
        toolLocation: ToolLocation.TOOL_LOCATION_CLIENT,
      });
      expect((await ada1.session.listSessions({})).sessions.map((s) => s.id)).toEqual([session.id]);
      expect((await bob1.session.listSessions({})).sessions).toEqual([]);
      expect(await codeOf(bob1.session.getSession({ sessionId: session.id }))).toBe(Status.NOT_FOUND);
      // A plain token cannot administer.
      const denied = await toadAdmin(adaToken, "org", "list");
      expect(denied.code).toBe(2);
      expect(denied.stderr).toMatch(/"admin" or "org-admin" scope/);

      const tokens = await toadAdmin(root, "token", "list", "--user", ada.userId);
      const { tokenId, secret } = parseToken(adaToken) ?? { tokenId: "", secret: "" };
      expect(tokens.stdout).toMatch(new RegExp(`${tokenId} +laptop +${ada.userId} +sessions,`));
      expect(tokens.stdout).not.toContain(secret);

      // Only the hash is in the store file (and its write-ahead log).
      const stored = await storeBytes();
      expect(stored).toContain(createHash("sha256").update(secret).digest("hex"));
      expect(stored).not.toContain(secret);

      expect(await toadAdmin(root, "token", "revoke", tokenId)).toMatchObject({
        code: 0,
        stdout: `revoked token ${tokenId}\n`,
      });
      expect(await codeOf(ada1.session.listSessions({}))).toBe(Status.UNAUTHENTICATED);
      expect((await toadAdmin(root, "token", "list", "--user", ada.userId)).stdout).toBe("(none)\n");
    } finally {
      ada1.close();
      bob1.close();
    }
  });

  it("reports refusals and bad input as one line with an exit code", async () => {
    const missing = await toadAdmin(root, "user", "create", "--org", "no-such-org", "x");
    expect(missing).toMatchObject({ code: 1, stdout: "" });
    expect(missing.stderr).toMatch(/NOT_FOUND: org "no-such-org" not found/);
    expect((await toadAdmin("toad_0123456789abcdef_nope", "org", "list")).stderr).toMatch(
      /refused the token/,
    );
    expect((await toadAdmin(root, "token", "create", "--user", "u", "--expires", "soon")).stderr).toMatch(
      /--expires must be a duration/,
    );
    expect((await toadAdmin(root, "org", "list", "--user", "u")).stderr).toMatch(
      /admin org list takes no --user/,
    );
    expect((await toadAdmin(root, "org", "create")).stderr).toMatch(/takes NAME, got 0/);
    expect((await toadAdmin(root, "org", "rename", "x")).stderr).toMatch(
      /unknown admin command "org rename"/,
    );
    const help = await toadAdmin(root, "--help");
    expect(help).toMatchObject({ code: 0 });
    expect(help.stdout).toContain("toad admin token create --user USER");
  });
});

async function codeOf(call: Promise<unknown>): Promise<Status | "ok"> {
  try {
    await call;
    return "ok";
  } catch (error) {
    if (error instanceof ClientError) return error.code;
    throw error;
  }
}

/** The raw bytes of `toad serve`'s key-value SQLite file and its WAL, as text. */
async function storeBytes(): Promise<string> {
  const db = join(dir, "data", "serve-state.db");
  const files = [db, `${db}-wal`].filter((file) => existsSync(file));
  expect(files.length).toBeGreaterThan(0);
  return (await Promise.all(files.map((file) => readFile(file, "latin1")))).join("\n");
}
