/**
 * The bash scripts of the exec file system (exec-fs.ts): one per operation,
 * each run as one command in the workspace's sandbox, with its inputs as
 * arguments (never spliced into the script). They need bash, GNU coreutils
 * (readlink -m, stat -c, base64, head -c), GNU find (-printf) and awk; rg
 * when present (the TOAD image has it), else grep and git.
 */

/** $@: paths. Prints each one resolved (symlinks followed, missing tail appended), NUL-terminated. */
export const REALPATHS = `exec readlink -zm -- "$@"`;

/** $@: paths. One line per path that exists: raw mode (hex), size, mtime (s), path. */
export const STAT = `
[ $# -eq 0 ] && exit 0
stat -L -c '%f %s %Y %n' -- "$@" 2>/dev/null
exit 0`;

/** $1 file, $2 byte cap. "missing", "directory", "too_large SIZE", or "file MODE" then the content in base64. */
export const READ_FILE = `
f=$1; max=$2
[ -e "$f" ] || { echo missing; exit 0; }
[ -d "$f" ] && { echo directory; exit 0; }
read -r size mode < <(stat -L -c '%s %a' -- "$f") || exit 1
[ "$size" -gt "$max" ] && { echo "too_large $size"; exit 0; }
echo "file $mode"
head -c "$max" -- "$f" | base64`;

/**
 * $1 file, $2 first line, $3 last line, $4 bytes kept per line, $5 byte cap.
 * "file SIZE", the first 8000 bytes in base64, "--", then base64 of lines
 * "LENGTH<TAB>TEXT"; awk reports on stderr "more" or the line count once
 * it reached the end (nothing when the byte cap cut it short).
 */
export const READ_LINES = `
f=$1; s=$2; e=$3; lb=$4; mb=$5
[ -e "$f" ] || { echo missing; exit 0; }
[ -d "$f" ] && { echo directory; exit 0; }
size=$(stat -L -c %s -- "$f") || exit 1
echo "file $size"
head -c 8000 -- "$f" | base64
echo "--"
awk -v s="$s" -v e="$e" -v lb="$lb" '
  NR > e { more = 1; exit }
  NR >= s { sub(/\\r$/, ""); print length($0) "\\t" substr($0, 1, lb) }
  END { if (more) print "more" > "/dev/stderr"; else print "total " NR > "/dev/stderr" }
' "$f" | head -c "$mb" | base64
exit 0`;

/** $1 temp file, $2 base64 chunk: appended (large files are staged in several commands). */
export const STAGE_CHUNK = `
mkdir -p -- "$(dirname -- "$1")" && printf '%s' "$2" | base64 -d >> "$1"`;

/**
 * Args in fives: op (W inline content, S staged already, D delete), target,
 * temp path, mode ("-" to leave it), base64 content (W only). Stages every
 * W, then swaps each target in, keeping a hard-link backup of what was there;
 * on failure puts the backups back. Exit 3: nothing changed; 4: restored.
 */
export const WRITE_ALL = `
ops=("$@"); n=$(($# / 5)); backups=(); applied=0
drop_temps() { for ((j = 0; j < n; j++)); do [ "\${ops[5*j]}" = D ] || rm -f -- "\${ops[5*j+2]}"; done; }
for ((i = 0; i < n; i++)); do
  op=\${ops[5*i]}; target=\${ops[5*i+1]}; tmp=\${ops[5*i+2]}; mode=\${ops[5*i+3]}
  [ "$op" = D ] && continue
  if [ "$op" = W ]; then
    mkdir -p -- "$(dirname -- "$target")" && printf '%s' "\${ops[5*i+4]}" | base64 -d > "$tmp" \\
      || { drop_temps; echo "cannot write the new content of $target" >&2; exit 3; }
  fi
  if [ "$mode" != - ]; then chmod "$mode" -- "$tmp" || { drop_temps; echo "cannot chmod $target" >&2; exit 3; }; fi
done
restore() {
  for ((j = applied - 1; j >= 0; j--)); do
    t=\${ops[5*j+1]}
    if [ -n "\${backups[j]}" ]; then mv -f -- "\${backups[j]}" "$t"; else rm -f -- "$t"; fi
  done
  drop_temps
  echo "$1" >&2; exit 4
}
for ((i = 0; i < n; i++)); do
  op=\${ops[5*i]}; target=\${ops[5*i+1]}; tmp=\${ops[5*i+2]}
  backups[i]=""
  if [ -e "$target" ]; then
    ln -- "$target" "$tmp.bak" 2>/dev/null || cp -p -- "$target" "$tmp.bak" || restore "cannot back up $target"
    backups[i]="$tmp.bak"
  fi
  applied=$((i + 1))
  if [ "$op" = D ]; then rm -f -- "$target" || restore "cannot delete $target"
  else mv -f -- "$tmp" "$target" || restore "cannot move the new content into $target"; fi
done
for b in "\${backups[@]}"; do [ -n "$b" ] && rm -f -- "$b"; done
exit 0`;

/**
 * $1 workspace root, $2 directory (relative), $3 depth. Entries as
 * "TYPE<TAB>SIZE<TAB>PATH<TAB>LINK" NUL-terminated, "--" alone, then every
 * ignore file on the way and below as PATH NUL BASE64 NUL.
 */
export const READ_TREE = `
cd -- "$1" || exit 1; dir=\${2:-.}; depth=$3
find "$dir" -mindepth 1 -maxdepth "$depth" \\( -name .git -printf '%y\\t%s\\t%P\\t%l\\0' -prune \\) -o -printf '%y\\t%s\\t%P\\t%l\\0'
printf -- '--\\0'
emit() { [ -f "$1" ] && { printf '%s\\0' "$1"; base64 < "$1" | tr -d '\\n'; printf '\\0'; }; }
emit .git/info/exclude
d=.
IFS=/ read -ra parts <<< "$2"
for part in "\${parts[@]}"; do
  for name in .gitignore .ignore .rgignore; do emit "$d/$name"; done
  d="$d/$part"
done
find "$dir" -maxdepth "$depth" -name .git -prune -o -type f \\( -name .gitignore -o -name .ignore -o -name .rgignore \\) -print |
  while IFS= read -r f; do emit "$f"; done
exit 0`;

/**
 * $1 directory, $2 cap, then ripgrep's walk flags: the files under the
 * directory, one a line, after a first line naming the walker: rg, git
 * (ls-files, .gitignore honoured) or find (no ignore files).
 */
export const LIST_FILES = `
cd -- "$1" || exit 1; cap=$2; shift 2
if command -v rg > /dev/null 2>&1; then echo rg; rg --files "$@"
elif git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
  echo git; git -c core.quotepath=off ls-files --cached --others --exclude-standard | LC_ALL=C sort -u |
    while IFS= read -r f; do [ -f "$f" ] && printf '%s\\n' "$f"; done
else echo find; find . -name .git -prune -o -type f -print | sed 's|^\\./||' | LC_ALL=C sort; fi | head -n "$cap"
exit 0`;

/**
 * $1 workspace root, $2 output cap in bytes, $3 count of rg args, the rg
 * args, then the grep args. First line "rg" or "grep"; then that tool's
 * output cut at the cap; exits with the tool's status.
 */
export const GREP = `
cd -- "$1" || exit 1; cap=$2; nrg=$3; shift 3
rg_args=("\${@:1:nrg}"); grep_args=("\${@:nrg+1}")
if command -v rg > /dev/null 2>&1; then echo rg; rg "\${rg_args[@]}" | head -c "$cap"; exit "\${PIPESTATUS[0]}"; fi
echo grep; grep "\${grep_args[@]}" | head -c "$cap"; exit "\${PIPESTATUS[0]}"`;
