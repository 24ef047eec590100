#!/usr/bin/env bash
# The web UI's first screen over many repositories, in a real headless Chromium (Debian's chromium).
#
#   bench/ui.sh [--repos N] [--tags N] [--reps N]
#
# Fills a fresh filesystem registry with N repositories of T tags each through the V2 API (default 10,000 x 10 =
# 100,000 tags), restarts it (so the first page load reads every repository from storage), then loads /ui/ sorted by
# name, by last push, by size, and with a search; each case once cold and --reps times again (median, max). The time
# is the page's own: from the start of navigation until the first page of rows is in the document. Also times the
# API call behind it with curl. Writes bench/results/ui-<ts>.md.
set -euo pipefail

root=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../scripts/find-jdk.sh
source "$root/scripts/find-jdk.sh"
# shellcheck source=common.sh
source "$root/bench/common.sh"

repos=10000
tags=10
reps=9
while [ $# -gt 0 ]; do
  case $1 in
    --repos) repos=$2; shift ;;
    --tags) tags=$2; shift ;;
    --reps) reps=$2; shift ;;
    *) echo "usage: bench/ui.sh [--repos N] [--tags N] [--reps N]" >&2; exit 2 ;;
  esac
  shift
done
command -v chromium >/dev/null || { echo "ui.sh: needs chromium (apt-get install -y chromium)" >&2; exit 1; }

bench_start ui
port=${BENCH_PORT_BASE:-5400}
bench_ports_free ui.sh "$port"
bench_build
(cd "$root" && mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >&2)
classpath="$root/target/test-classes:$root/target/classes:$(cat "$work/cp.txt")"

cat > "$work/wharf.yml" <<YAML
version: 0.1
log:
  level: info
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YAML

start_wharf() {
  (cd "$root" && unset JAVA_OPTS && exec ./wharf serve "$work/wharf.yml") > "$work/wharf.log" 2>&1 &
  wharf_pid=$!; pids+=("$wharf_pid")
  for _ in $(seq 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/")" = 200 ] && return 0
    sleep 0.1
  done
  echo "ui.sh: wharf did not start" >&2; tail -20 "$work/wharf.log" >&2; exit 1
}

W=http://127.0.0.1:$port
start_wharf
log "set-up: $repos repositories x $tags tags"
setup_started=$(date +%s)
bench setup-repos --count "$repos" --tags 1 --tags-per-repo "$tags" --clients 16 "wharf=$W" >/dev/null
setup_s=$(( $(date +%s) - setup_started ))
kill "$wharf_pid"; wait "$wharf_pid" 2>/dev/null || true
start_wharf
log "first screens in chromium ($reps reloads per case)"
pages=$("$JAVA_HOME/bin/java" -cp "$classpath" "$root/bench/UiPageBench.java" "$W" "$reps" "$work/profile")
log "API: GET /api/v1/repositories?limit=50 (warm), $reps times"
api=()
for _ in $(seq "$reps"); do
  api+=("$(curl -s -o /dev/null -w '%{time_total}' "$W/api/v1/repositories?limit=50&sort=pushed")")
done
api_median=$(printf '%s\n' "${api[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)] * 1000}')
rss=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$wharf_pid/status")

mkdir -p "$root/bench/results"
out=$root/bench/results/ui-$ts.md
{
  echo "# bench/ui.sh, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "$repos repositories x $tags tags ($(( repos * tags )) tags), filled in ${setup_s} s; server restarted before"
  echo "the first load; $(nproc) cores; load average at the end $(cut -d' ' -f1-3 /proc/loadavg); Wharf peak RSS ${rss} MiB."
  echo
  echo "| page | first load after restart (ms) | reload median (ms) | reload max (ms) | rows shown |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  printf '%s\n' "$pages" | awk -F'\t' '{printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5}'
  echo
  echo "API alone, \`GET /api/v1/repositories?limit=50&sort=pushed\` with curl, median of $reps: ${api_median} ms."
  echo
  echo "Reading every repository's view in the background at start (server log): $(grep -o 'ui: read .*' "$work/wharf.log" | tail -1)."
} > "$out"
cat "$out"
