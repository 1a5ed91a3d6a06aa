#!/usr/bin/env bash
# The whole benchmark in one command: install the peers if missing, build
# playbook and the floor, generate the corpora, time every tool, print the
# Markdown table (also left in bench/work/results.md and results.json).
#
#   bench/run.sh [N ...]          default: 1000 10000
#
# Settings (environment):
#   RUNS=5               timed clean builds per tool and size (medians are quoted)
#   MDBOOK_ONCE_FROM=5000  from this size on, mdBook runs exactly once (it is quadratic)
#   MDBOOK_CAP=900       time limit in seconds for that single mdBook run
#   BENCH_WORK=...       where corpora, outputs, logs and results go. Default:
#                        /dev/shm/playbook-bench (tmpfs) when /dev/shm exists,
#                        else bench/work. On a disk the kernel's file-creation
#                        cost swamps the tools' own work and varies run to run
#                        (see bench/RESULTS.md); set BENCH_WORK=bench/work to
#                        include it anyway.
#   SEED=20250101        corpus seed
#   ONLY=playbook,floor  time only these tools (names as in the table)
#   BEFORE=REV           also time playbook as of git revision REV (built in a
#                        worktree under BENCH_WORK), as the tool "before": a
#                        change's cost or gain, side by side in one run
#   WATCH=1000           the corpus size at which `watch` save → reload is timed
#                        in headless Chromium (15 one-page edits; needs Debian's
#                        chromium, installed if missing); WATCH=0 skips it
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH="$ROOT/bench"
if [ -z "${BENCH_WORK:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
    BENCH_WORK=/dev/shm/playbook-bench
fi
WORK=$(realpath -m "${BENCH_WORK:-$BENCH/work}")
RUNS=${RUNS:-5}
SEED=${SEED:-20250101}
MDBOOK_ONCE_FROM=${MDBOOK_ONCE_FROM:-5000}
MDBOOK_CAP=${MDBOOK_CAP:-900}
ONLY=${ONLY:-}
WATCH=${WATCH:-1000}
if [ $# -eq 0 ]; then set -- 1000 10000; fi

say() { printf '==> %s\n' "$*" >&2; }

apt_install() {
    if [ "$(id -u)" -eq 0 ]; then
        apt-get update -qq && apt-get install -y -qq "$@"
    else
        sudo apt-get update -qq && sudo apt-get install -y -qq "$@"
    fi
}

# --- peers -----------------------------------------------------------------
command -v python3 >/dev/null || { say "installing python3"; apt_install python3; }
[ -x /usr/bin/time ] || { say "installing GNU time"; apt_install time; }
if ! command -v hugo >/dev/null; then
    say "installing Hugo from Debian"
    apt_install hugo
fi
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v mdbook >/dev/null; then
    say "installing mdBook with cargo (takes a few minutes)"
    t0=$(date +%s)
    cargo install mdbook --locked
    say "mdBook installed in $(( $(date +%s) - t0 )) s"
fi

# --- playbook and the floor ------------------------------------------------
say "building playbook (release)"
cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml"
say "building the floor (release)"
cargo build --release --quiet --manifest-path "$BENCH/floor/Cargo.toml"
PLAYBOOK="$ROOT/target/release/playbook"
FLOOR="$BENCH/floor/target/release/playbook-bench-floor"
BEFORE_BIN=""
if [ -n "${BEFORE:-}" ]; then
    mkdir -p "$WORK"
    src="$WORK/before-src"
    say "building playbook as of $BEFORE (release)"
    git -C "$ROOT" worktree remove --force "$src" 2>/dev/null || rm -rf "$src"
    git -C "$ROOT" worktree add --detach "$src" "$BEFORE" >&2
    cargo build --release --quiet --manifest-path "$src/Cargo.toml" --target-dir "$WORK/before-target"
    BEFORE_BIN="$WORK/before-target/release/playbook"
fi

# --- corpora ---------------------------------------------------------------
mkdir -p "$WORK"
for n in "$@"; do
    say "generating the $n-page corpus"
    python3 "$BENCH/gen.py" "$n" "$WORK/$n" --seed "$SEED" >&2
done

# --- versions --------------------------------------------------------------
versions=$(python3 - "$PLAYBOOK" "$ROOT" "$BENCH" <<'EOF'
import json, re, subprocess, sys
pb, root, bench = sys.argv[1:4]
def out(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"
lock = open(f"{bench}/floor/Cargo.lock").read()
m = re.search(r'name = "pulldown-cmark"\nversion = "([^"]+)"', lock)
print(json.dumps({
    "playbook": out("git", "-C", root, "describe", "--always", "--dirty")
        + " (generator last changed in "
        + out("git", "-C", root, "log", "-1", "--format=%h", "--", "src", "themes", "Cargo.toml", "Cargo.lock")
        + ")",
    "mdBook": out("mdbook", "--version"),
    "Hugo": out("hugo", "version").split(" BuildDate")[0],
    "floor": "pulldown-cmark " + (m.group(1) if m else "?") + " + rayon",
    "rustc": out("rustc", "--version"),
    "Python": out("python3", "--version"),
}))
EOF
)

# --- measure ---------------------------------------------------------------
say "timing (RUNS=$RUNS; mdBook once from $MDBOOK_ONCE_FROM pages, capped at $MDBOOK_CAP s)"
python3 "$BENCH/measure.py" --work "$WORK" --runs "$RUNS" \
    --playbook "$PLAYBOOK" --mdbook "$(command -v mdbook)" --hugo "$(command -v hugo)" \
    --floor "$FLOOR" --mdbook-once-from "$MDBOOK_ONCE_FROM" --mdbook-cap "$MDBOOK_CAP" \
    --only "$ONLY" --versions "$versions" --before "$BEFORE_BIN" "$@"

# --- the bytes alone --------------------------------------------------------
# How long this machine takes just to write each output that the timed runs
# left behind, from memory, the way the floor writes: what the size of an
# output costs, apart from the work that made it.
for n in "$@"; do
    pb_out="$WORK/$n/playbook/public"
    fl_out="$WORK/$n/floor-out"
    [ -d "$pb_out" ] && [ -d "$fl_out" ] || continue
    say "timing the writes alone at $n pages"
    for _ in $(seq "$RUNS"); do
        for which in playbook floor; do
            src=$pb_out; [ "$which" = floor ] && src=$fl_out
            rm -rf "$WORK/write-only"
            "$FLOOR" --write-only "$src" "$WORK/write-only" 2>&1 | sed "s/^/$which /"
        done
    done | python3 -c '
import re, statistics, sys
n, runs = sys.argv[1], {}
for line in sys.stdin:
    m = re.match(r"(\w+) floor: wrote \d+ files, (\d+) bytes in ([\d.]+) ms", line)
    if m:
        runs.setdefault(m[1], []).append((int(m[2]), float(m[3])))
pb, fl = (statistics.median(r[1] for r in runs[k]) for k in ("playbook", "floor"))
pb_mb, fl_mb = (runs[k][0][0] / 1e6 for k in ("playbook", "floor"))
count = len(runs["playbook"])
print(f"- {int(n):,} pages, writes alone (median of {count}): playbook output "
      f"{pb_mb:.0f} MB in {pb / 1e3:.3f} s, floor output {fl_mb:.0f} MB in {fl / 1e3:.3f} s.")
' "$n" | tee -a "$WORK/results.md"
    rm -rf "$WORK/write-only"
done

# --- watch: save → reload ----------------------------------------------------
if [ "$WATCH" != 0 ] && [ -d "$WORK/$WATCH/playbook" ]; then
    command -v chromium >/dev/null || { say "installing chromium from Debian"; apt_install chromium; }
    say "timing watch: save → reload at $WATCH pages, in headless Chromium"
    PLAYBOOK_BENCH_SITE="$WORK/$WATCH/playbook" cargo test --release --quiet \
        --manifest-path "$ROOT/Cargo.toml" --test suite -- \
        --ignored --nocapture save_to_reload 2>&1 \
        | sed -E 's/^(test [^ ]+ \.\.\. |\.+)//' | grep -E '^(save|  )' | tee "$WORK/watch.txt"
fi
