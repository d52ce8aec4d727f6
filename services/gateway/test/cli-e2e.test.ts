import { join } from "node:path";
import { parseEvent } from "@toad/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, MODEL, startCluster } from "./support/cluster.js";
import { SCRIPTED_MODEL } from "./support/scripted.js";
import { assertCliBuilt, finished, makeRepo, spawnToad } from "./support/toad.js";

let cluster: Cluster;
let repo: string;
let token: string;
beforeAll(async () => {
  assertCliBuilt();
  cluster = await startCluster({ llm: SCRIPTED_MODEL });
  // The file exists only in the developer's working tree: the cluster can answer only if the CLI ran the tool.
  repo = await makeRepo(join(cluster.dir, "dev"), { "notes.md": "the secret is 1234\n" });
  const org = await cluster.identity.createOrg("acme");
  const user = await cluster.identity.createUser(org.id, "dev");
  token = (await cluster.identity.issueToken(user.id, { name: "laptop", scopes: ["sessions"] })).token;
}, 30_000);
afterAll(async () => {
  await cluster?.stop();
});

/** The CLI's environment: no model keys at all (the cluster holds them), its own data dir. */
const cliEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: join(cluster.dir, "dev-home"),
  TOAD_DATA_DIR: join(cluster.dir, "dev-data"),
  TOAD_CONFIG_HOME: join(cluster.dir, "dev-config"),
  ...extra,
});

describe("toad -p --gateway", () => {
  it("runs the session in the cluster and the tools here, printing the same stream-json", async () => {
    const run = await finished(
      spawnToad(
        [
          "-p",
          "read notes.md",
          "--gateway",
          cluster.gatewayAddress,
          "--model",
          MODEL,
          "--output-format",
          "stream-json",
        ],
        { cwd: repo, env: cliEnv({ TOAD_TOKEN: token }) },
      ),
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const events = run.stdout.trim().split("\n").map(parseEvent);
    expect(events[0]).toMatchObject({ type: "session_started", cwd: repo, model: MODEL, seq: 1 });
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    expect(events.find((event) => event.type === "tool_result")).toMatchObject({
      name: "read_file",
      isError: false,
      output: expect.stringContaining("the secret is 1234"),
    });
    const text = events.flatMap((event) => (event.type === "text_delta" ? [event.text] : [])).join("");
    expect(text).toContain("the secret is 1234");
  });

  it("TOAD_GATEWAY_URL works like --gateway; --continue finds the session on the gateway", async () => {
    const env = cliEnv({ TOAD_GATEWAY_URL: cluster.gatewayAddress, TOAD_TOKEN: token });
    const first = await finished(
      spawnToad(["-p", "say hi", "--model", MODEL, "--output-format", "json"], { cwd: repo, env }),
    );
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      text: "hi",
      exit: "end_turn",
      turns: 1,
      isError: false,
    });
    const again = await finished(
      spawnToad(["-p", "and again", "-c", "--output-format", "json"], { cwd: repo, env }),
    );
    expect(again.code).toBe(0);
    const [a, b] = [first, again].map((run) => JSON.parse(run.stdout) as { sessionId: string });
    expect(b?.sessionId).toBe(a?.sessionId);
  });

  it("refuses clearly without a token, with a bad token, and when the gateway is down", async () => {
    const missing = await finished(
      spawnToad(["-p", "hi", "--gateway", cluster.gatewayAddress], { cwd: repo, env: cliEnv() }),
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/needs an API token: set TOAD_TOKEN/);
    const bad = await finished(
      spawnToad(["-p", "hi", "--gateway", cluster.gatewayAddress], {
        cwd: repo,
        env: cliEnv({ TOAD_TOKEN: `toad_0000000000000000_${"x".repeat(43)}` }),
      }),
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/refused the token: invalid API token/);
    const down = await finished(
      spawnToad(["-p", "hi", "--gateway", "127.0.0.1:1"], { cwd: repo, env: cliEnv({ TOAD_TOKEN: token }) }),
    );
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach the gateway at 127\.0\.0\.1:1/);
  });
});
