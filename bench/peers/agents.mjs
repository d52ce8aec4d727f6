// The three agents of bench/peers.sh and how each is pointed at the scripted model
// server: its own HOME (and data/config folders) inside the bench's temp folder, no
// telemetry or update checks, and the headless flags that let it use tools unattended.
// Each agent becomes a small executable wrapper `bin/<agent> PROMPT`, so hyperfine,
// /usr/bin/time and the probes all run exactly the same command.

import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** Turns the loop needs: one per read, the final answer, and some slack. */
const maxTurns = (steps) => String(steps + 10);

const shellQuote = (value) => `'${String(value).replaceAll("'", "'\\''")}'`;

/**
 * @param {{
 *   toad: { bin?: string, version?: string, missing?: string },
 *   peersDir: string, work: string, repo: string, url: string, steps: number,
 * }} ctx
 * @returns {Promise<Array<{ name: string, label: string, version: string, bin: string } | { name: string, label: string, missing: string }>>}
 */
export async function prepareAgents(ctx) {
  await mkdir(join(ctx.work, "bin"), { recursive: true });
  const agents = [toad(ctx), claude(ctx), codex(ctx)];
  const ready = [];
  for (const agent of await Promise.all(agents)) {
    if (agent.missing !== undefined) {
      ready.push(agent);
      continue;
    }
    const bin = join(ctx.work, "bin", agent.name);
    const env = Object.entries(agent.env)
      .map(([key, value]) => `${key}=${shellQuote(value)}`)
      .join(" \\\n  ");
    // `exec env -i`: the agent sees only the variables given here; stdin is closed
    // so no agent waits for piped input.
    const wrapper = (argv) =>
      `#!/bin/sh\ncd ${shellQuote(ctx.repo)} || exit 1\nexec env -i \\\n  ${env} \\\n  ${argv} "$1" </dev/null\n`;
    await writeFile(bin, wrapper(agent.argv.map(shellQuote).join(" ")));
    await chmod(bin, 0o755);
    const entry = { name: agent.name, label: agent.label, version: agent.version, bin };
    if (agent.node) {
      // Same run under the V8 profiler: `bin/<agent>-profile PROMPT DIR` writes DIR/*.cpuprofile.
      const [node, ...rest] = agent.argv.map(shellQuote);
      const flags = '--cpu-prof --cpu-prof-interval 250 --cpu-prof-dir="$2"';
      entry.profileBin = `${bin}-profile`;
      await writeFile(entry.profileBin, wrapper([node, flags, ...rest].join(" ")));
      await chmod(entry.profileBin, 0o755);
    }
    ready.push(entry);
  }
  return ready;
}

const basePath = () => process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin";

async function toad(ctx) {
  const home = join(ctx.work, "home-toad");
  await mkdir(home, { recursive: true });
  if (ctx.toad.bin === undefined) return { name: "toad", label: "toad", missing: ctx.toad.missing };
  return {
    name: "toad",
    label: "toad",
    version: ctx.toad.version,
    node: true,
    env: {
      PATH: basePath(),
      HOME: home,
      TOAD_DATA_DIR: join(home, "data"),
      TOAD_CONFIG_HOME: join(home, "config"),
      ANTHROPIC_BASE_URL: ctx.url,
      ANTHROPIC_API_KEY: "sk-ant-bench",
    },
    argv: [
      process.execPath,
      ctx.toad.bin,
      "--permission-mode",
      "full-auto",
      "--model",
      "claude-sonnet-4-5",
      "--max-turns",
      maxTurns(ctx.steps),
      "-p",
    ],
  };
}

async function claude(ctx) {
  const pkg = join(ctx.peersDir, "node_modules", "@anthropic-ai", "claude-code");
  const bin = join(pkg, "bin", "claude.exe");
  if (!existsSync(bin)) {
    return {
      name: "claude",
      label: "Claude Code",
      missing: `${bin} is missing: npm could not install @anthropic-ai/claude-code (or its postinstall did not run)`,
    };
  }
  const home = join(ctx.work, "home-claude");
  await mkdir(home, { recursive: true });
  const env = {
    PATH: basePath(),
    HOME: home,
    ANTHROPIC_BASE_URL: ctx.url,
    ANTHROPIC_API_KEY: "sk-ant-bench",
    // No telemetry, error reports, update checks or other non-essential requests.
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_TELEMETRY: "1",
    DISABLE_ERROR_REPORTING: "1",
    DISABLE_AUTOUPDATER: "1",
    DISABLE_BUG_COMMAND: "1",
  };
  // Claude Code refuses --dangerously-skip-permissions as root unless it is told it
  // runs in a sandbox (this bench's temp repository is one).
  if (process.getuid?.() === 0) env.IS_SANDBOX = "1";
  return {
    name: "claude",
    label: "Claude Code",
    version: await packageVersion(pkg),
    env,
    argv: [bin, "--dangerously-skip-permissions", "--max-turns", maxTurns(ctx.steps), "-p"],
  };
}

/** Codex's npm package is a Node launcher for a native binary; the bench runs the binary itself. */
function codexVendor(peersDir) {
  const triple = { x64: "x86_64-unknown-linux-musl", arm64: "aarch64-unknown-linux-musl" }[process.arch];
  const pkg = { x64: "codex-linux-x64", arm64: "codex-linux-arm64" }[process.arch];
  if (process.platform !== "linux" || triple === undefined) return undefined;
  return join(peersDir, "node_modules", "@openai", pkg, "vendor", triple);
}

async function codex(ctx) {
  const vendor = codexVendor(ctx.peersDir);
  const bin = vendor === undefined ? undefined : join(vendor, "bin", "codex");
  if (bin === undefined || !existsSync(bin)) {
    return {
      name: "codex",
      label: "Codex",
      missing: `no native codex binary for ${process.platform}/${process.arch} under ${ctx.peersDir}`,
    };
  }
  const home = join(ctx.work, "home-codex");
  const codexHome = join(home, ".codex");
  await mkdir(codexHome, { recursive: true });
  await writeFile(
    join(codexHome, "config.toml"),
    [
      'model = "mock-model"',
      'model_provider = "mock"',
      "check_for_update_on_startup = false",
      "",
      "[analytics]",
      "enabled = false",
      "",
      "[model_providers.mock]",
      'name = "scripted model server"',
      `base_url = "${ctx.url}/v1"`,
      'wire_api = "responses"',
      'env_key = "MOCK_API_KEY"',
      "request_max_retries = 0",
      "stream_max_retries = 0",
      "",
    ].join("\n"),
  );
  return {
    name: "codex",
    label: "Codex",
    version: await packageVersion(join(ctx.peersDir, "node_modules", "@openai", "codex")),
    env: {
      // codex-path holds the ripgrep that Codex ships; the npm launcher adds it the same way.
      PATH: `${join(vendor, "codex-path")}:${basePath()}`,
      HOME: home,
      CODEX_HOME: codexHome,
      CODEX_MANAGED_BY_NPM: "1",
      MOCK_API_KEY: "bench",
    },
    argv: [bin, "exec", "--dangerously-bypass-approvals-and-sandbox", "--skip-git-repo-check"],
  };
}

async function packageVersion(dir) {
  try {
    return JSON.parse(await readFile(join(dir, "package.json"), "utf8")).version ?? "?";
  } catch {
    return "?";
  }
}
