#!/usr/bin/env bash
# toad vs Claude Code vs Codex, side by side, against one scripted model server on
# loopback (no network, no real model): a one-shot prompt answered with text (wall
# time, peak memory) and a loop of read-a-file tool calls (wall time). Prints a
# markdown table and the verdict on issue 4's targets; when toad misses one, it also
# profiles toad and prints where its time goes.
#
#   bench/peers.sh [--runs 10] [--loop-runs 3] [--mem-runs 5] [--steps 50]
#                  [--profile auto|always|never] [--keep] [--no-build] [--update]
#
# The peers are installed from npm into ${TOAD_PEERS_DIR:-~/.cache/toad-peers}, outside
# the repository (never as its dependencies); --update reinstalls the latest versions.
# hyperfine and GNU time are installed with apt-get when missing and running as root.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEERS_DIR="${TOAD_PEERS_DIR:-$HOME/.cache/toad-peers}"
BUILD=1
UPDATE=0
PASS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) BUILD=0 ;;
    --update) UPDATE=1 ;;
    --keep) PASS+=("$1") ;;
    --runs | --loop-runs | --mem-runs | --steps | --profile)
      [[ $# -ge 2 ]] || { echo "peers: $1 needs a value" >&2; exit 2; }
      PASS+=("$1" "$2")
      shift
      ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "peers: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { echo "peers: $*" >&2; }

# Measuring tools from Debian, when they are missing and we may install them.
need_apt=()
command -v hyperfine >/dev/null 2>&1 || need_apt+=(hyperfine)
[[ -x /usr/bin/time ]] || need_apt+=(time)
if [[ ${#need_apt[@]} -gt 0 ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    say "installing ${need_apt[*]} (apt-get)"
    apt-get install -y "${need_apt[@]}" >/dev/null 2>&1 ||
      { apt-get update >/dev/null 2>&1 && apt-get install -y "${need_apt[@]}" >/dev/null 2>&1; } ||
      say "could not install ${need_apt[*]}: timing falls back to repeated runs, memory to n/a"
  else
    say "missing ${need_apt[*]} (apt-get install -y ${need_apt[*]}): timing falls back to repeated runs"
  fi
fi

if [[ $BUILD -eq 1 ]]; then
  # Only what the bench runs (the toad command and the model server) and their
  # dependencies, so a half-finished package elsewhere cannot stop the bench.
  say "building TOAD (npm run build, filtered to @toad/cli and @toad/testkit)"
  (cd "$ROOT" && npm run build -- --filter=@toad/cli... --filter=@toad/testkit... >"${TMPDIR:-/tmp}/toad-peers-build.log" 2>&1) ||
    { say "npm run build failed (see ${TMPDIR:-/tmp}/toad-peers-build.log)"; tail -20 "${TMPDIR:-/tmp}/toad-peers-build.log" >&2; exit 1; }
fi

# The peers: their own npm prefix outside the repository, so the repo's .npmrc,
# lockfile and workspaces never see them.
mkdir -p "$PEERS_DIR"
if [[ $UPDATE -eq 1 || ! -x "$PEERS_DIR/node_modules/.bin/claude" || ! -x "$PEERS_DIR/node_modules/.bin/codex" ]]; then
  say "installing @anthropic-ai/claude-code and @openai/codex into $PEERS_DIR"
  (cd "$PEERS_DIR" && npm install --prefix "$PEERS_DIR" --no-fund --no-audit --loglevel=error \
    @anthropic-ai/claude-code@latest @openai/codex@latest >/dev/null) ||
    say "npm install of the peers failed; the bench goes on with what is installed"
fi

exec node "$ROOT/bench/peers/run.mjs" --root "$ROOT" --peers-dir "$PEERS_DIR" "${PASS[@]}"
