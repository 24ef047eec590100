#!/usr/bin/env bash
# Start-up side by side: the time from process start until GET /v2/ answers 200, and the RSS at that moment, for
# Distribution 2.8.2 (Debian's docker-registry) and Wharf started as the image and the Debian package start it
# (the jlinked runtime of packaging/runtime.sh, the shaded jar with the ahead-of-time cache made by
# packaging/aot-train.sh, the package's JVM options).
# Also `./wharf serve` (row "launcher": the runtime and the cache the launcher makes on its first serve,
# docs/LAUNCHER.md).
# Runs alternate server by server; medians (min-max).
#
#   bench/startup.sh [--runs N] [--poll builtin|curl] [--compare NAME=JAR]...
#
#   --runs N             runs per server (default 9)
#   --poll curl          poll with curl and sleep, as this script did before 2026-12-06 (see answers_200)
#   --compare NAME=JAR   also start another Wharf jar (e.g. a build of an earlier commit), with its own cache
# The server's CPU time (user + system) until the answer is reported too: on a busy 2-core machine it varies
# less than the wall time.
set -euo pipefail

root=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../scripts/find-jdk.sh
source "$root/scripts/find-jdk.sh"
# shellcheck source=common.sh
source "$root/bench/common.sh"

runs=9
poll=builtin
jars=()
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift ;;
    --poll) poll=$2; shift ;;
    --compare) jars+=("$2"); shift ;;
    *) echo "usage: bench/startup.sh [--runs N] [--poll builtin|curl] [--compare NAME=JAR]..." >&2; exit 2 ;;
  esac
  shift
done
command -v docker-registry >/dev/null || { echo "startup.sh: docker-registry is not installed" >&2; exit 1; }
port=${BENCH_PORT_BASE:-15400}
bench_ports_free startup.sh "$port"
bench_start startup

(cd "$root" && mvn -B -q -o -DskipTests package >/dev/null)
log "building the runtime the image and the package ship"
"$root/packaging/runtime.sh" "$work/runtime" >/dev/null
java=$work/runtime/bin/java
jars=("wharf=$root/target/wharf.jar" "${jars[@]}")
names=(distribution)
for entry in "${jars[@]}"; do
  name=${entry%%=*}
  cp -p "${entry#*=}" "$work/$name.jar"
  log "training the ahead-of-time cache of $name"
  "$root/packaging/aot-train.sh" "$java" "$work/$name.jar" "$work/$name.aot" >/dev/null 2>&1
  names+=("$name")
done

# The poll for the first answer uses bash built-ins only (bench_answers_200 in common.sh); --poll curl forks curl
# and sleep per poll, as this script did before 2026-12-06.
bench_pause_open

# answers_200 PORT: whether GET /v2/ on the port answers 200 now.
answers_200() {
  if [ "$poll" = curl ]; then
    sleep 0.003
    curl -s -o /dev/null -f "http://127.0.0.1:$1/v2/"
    return
  fi
  bench_answers_200 "$1"
}

# start_once NAME: prints "wall_ms rss_mib cpu_ms" for one start.
start_once() {
  local name=$1 dir pid t0 t1 cpu rss
  dir=$(mktemp -d "$work/run.XXXXXX")
  printf 'version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: %s/data\nhttp:\n  addr: 127.0.0.1:%s\n' \
    "$dir" "$port" > "$dir/config.yml"
  t0=${EPOCHREALTIME/./}
  if [ "$name" = distribution ]; then
    docker-registry serve "$dir/config.yml" > "$dir/log" 2>&1 &
  elif [ "$name" = launcher ]; then
    # The launcher execs the JVM, so $! is the JVM's pid too.
    (unset JAVA_OPTS; exec "$root/wharf" serve "$dir/config.yml") > "$dir/log" 2>&1 &
  else
    "$java" -XX:AOTCache="$work/$name.aot" -XX:+UseSerialGC -Xmx64m -Xms16m \
      -XX:MinHeapFreeRatio=80 -XX:MaxHeapFreeRatio=95 -XX:TrimNativeHeapInterval=2000 -jar "$work/$name.jar" \
      serve "$dir/config.yml" > "$dir/log" 2>&1 &
  fi
  pid=$!
  until answers_200 "$port"; do
    kill -0 "$pid" 2>/dev/null || { cat "$dir/log" >&2; exit 1; }
    bench_pause
  done
  t1=${EPOCHREALTIME/./}
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$pid/stat")
  rss=$(awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
  echo "$(( (t1 - t0) / 1000 )) $rss $cpu"
}

# ./wharf serve as a developer runs it: the launcher links its runtime and trains its cache on the first start.
names+=(launcher)
log "./wharf serve once, which links its runtime and trains its start-up cache"
start_once launcher >/dev/null

for i in $(seq "$runs"); do
  log "run $i of $runs"
  for name in "${names[@]}"; do
    echo "$name $(start_once "$name")" >> "$work/runs.txt"
  done
done

# median_range COLUMN NAME
median_range() {
  awk -v c="$1" -v n="$2" '$1 == n {print $c}' "$work/runs.txt" | sort -n |
    awk '{v[NR] = $1} END {printf "%s (%s-%s)", v[int((NR + 1) / 2)], v[1], v[NR]}'
}
{
  echo "Start-up, $runs runs per server, alternating, polled with $poll; $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| server | until GET /v2/ answers (ms) | CPU time until then (ms) | RSS then (MiB) |"
  echo "| --- | ---: | ---: | ---: |"
  for name in "${names[@]}"; do
    echo "| $name | $(median_range 2 "$name") | $(median_range 4 "$name") | $(median_range 3 "$name") |"
  done
} | { mkdir -p "$root/bench/results"; tee "$root/bench/results/startup-$ts.md"; }
