// The markdown table of bench/peers.sh and the verdict on issue 4's targets:
// toad's one-shot wall time and peak memory below both peers, and the 50-step
// read loop in under half of Claude Code's time.

const ms = (value) => (value === undefined ? "n/a" : `${Math.round(value)} ms`);
const mb = (kb) => (kb === undefined ? "n/a" : `${(kb / 1024).toFixed(0)} MB`);
const spread = (s) => (s === undefined ? "n/a" : `${Math.round(s.mean)} ± ${Math.round(s.stddev)} ms`);

/**
 * @param {{
 *   agents: Array<{ name: string, label: string, version?: string, missing?: string, loopMissing?: string }>,
 *   oneShot: Map<string, { median: number, mean: number, stddev: number, min: number, runs: number }>,
 *   oneShotMem: Map<string, { medianKb: number, runs: number }>,
 *   loop: Map<string, { median: number, mean: number, stddev: number, min: number, runs: number }>,
 *   loopMem: Map<string, { medianKb: number }>,
 *   requestsPerLoop: Map<string, number>,
 *   steps: number,
 * }} results
 * @returns {{ markdown: string, missed: string[] }}
 */
export function renderReport(results) {
  const { agents, oneShot, oneShotMem, loop, loopMem, requestsPerLoop, steps } = results;
  const rows = [
    `| Agent | Version | One-shot wall (median) | One-shot mean ± σ | One-shot peak RSS | ${steps}-step loop wall (median) | Loop mean ± σ | Per step | Loop peak RSS | Model requests per loop |`,
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const agent of agents) {
    if (agent.missing !== undefined) {
      const reason = `not run: ${agent.missing.replaceAll("|", "/")}`;
      rows.push(`| ${agent.label} | ${agent.version ?? "?"} | ${reason} |${" |".repeat(7)}`);
      continue;
    }
    const one = oneShot.get(agent.name);
    const lp = loop.get(agent.name);
    const perStep = one !== undefined && lp !== undefined ? (lp.median - one.median) / steps : undefined;
    rows.push(
      [
        agent.label,
        agent.version ?? "?",
        ms(one?.median),
        spread(one),
        mb(oneShotMem.get(agent.name)?.medianKb),
        agent.loopMissing === undefined
          ? ms(lp?.median)
          : `not run: ${agent.loopMissing.replaceAll("|", "/")}`,
        spread(lp),
        ms(perStep),
        mb(loopMem.get(agent.name)?.medianKb),
        requestsPerLoop.get(agent.name) ?? "n/a",
      ]
        .join(" | ")
        .replace(/^/u, "| ")
        .concat(" |"),
    );
  }
  const { lines, missed } = verdict(results);
  return { markdown: `${rows.join("\n")}\n\n${lines.join("\n")}`, missed };
}

function verdict({ agents, oneShot, oneShotMem, loop }) {
  const lines = ["Targets (issue 4):"];
  const missed = [];
  const check = (ok, text) => {
    lines.push(`- ${ok === undefined ? "n/a" : ok ? "MET" : "MISSED"}: ${text}`);
    if (ok === false) missed.push(text);
  };
  const peers = agents.filter((agent) => agent.name !== "toad");
  const toadWall = oneShot.get("toad")?.median;
  const toadMem = oneShotMem.get("toad")?.medianKb;
  for (const peer of peers) {
    const wall = oneShot.get(peer.name)?.median;
    const mem = oneShotMem.get(peer.name)?.medianKb;
    check(
      toadWall === undefined || wall === undefined ? undefined : toadWall < wall,
      `one-shot wall time below ${peer.label}: toad ${ms(toadWall)} vs ${ms(wall)}`,
    );
    check(
      toadMem === undefined || mem === undefined ? undefined : toadMem < mem,
      `one-shot peak memory below ${peer.label}: toad ${mb(toadMem)} vs ${mb(mem)}`,
    );
  }
  const toadLoop = loop.get("toad")?.median;
  const claudeLoop = loop.get("claude")?.median;
  check(
    toadLoop === undefined || claudeLoop === undefined ? undefined : toadLoop < claudeLoop / 2,
    `loop under half of Claude Code's time: toad ${ms(toadLoop)} vs half of ${ms(claudeLoop)} = ${ms(
      claudeLoop === undefined ? undefined : claudeLoop / 2,
    )}`,
  );
  return { lines, missed };
}
