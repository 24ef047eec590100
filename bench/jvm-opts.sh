#!/usr/bin/env bash
# Two Wharf servers from the same jar, each with its own JVM options, through the rows of run.sh that load the
# heap (small pushes, 1 GiB push and 16 pulls, manifest GET/HEAD and tag lists with 64 clients), alternating rep by
# rep; reports each one's throughput and peak RSS, and its RSS 10 s after start. For choosing the launcher's
# defaults: a smaller heap must not cost throughput.
#
#   bench/jvm-opts.sh [--reps N] [--a "OPTS"] [--b "OPTS"]
#
#   --a "OPTS"  JVM options of server a (default: the launcher's defaults)
#   --b "OPTS"  JVM options of server b (default: "-XX:+UseSerialGC -Xmx256m -Xmn8m")
#   --reps N    repetitions per row (default 3)
# Writes bench/results/jvm-opts-<ts>.md.
set -euo pipefail

root=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../scripts/find-jdk.sh
source "$root/scripts/find-jdk.sh"
# shellcheck source=common.sh
source "$root/bench/common.sh"

reps=3
opts_a=
opts_b="-XX:+UseSerialGC -Xmx256m -Xmn8m"
while [ $# -gt 0 ]; do
  case $1 in
    --reps) reps=$2; shift ;;
    --a) opts_a=$2; shift ;;
    --b) opts_b=$2; shift ;;
    *) echo "usage: bench/jvm-opts.sh [--reps N] [--a OPTS] [--b OPTS]" >&2; exit 2 ;;
  esac
  shift
done
base=${BENCH_PORT_BASE:-15200}
port_a=$base; port_b=$((base + 1))
cache=${BENCH_CACHE:-/tmp/wharf-bench-cache}
big=$cache/blob-1g.bin
big_size=$((1024 * 1024 * 1024))
repos=2000
secs=8

bench_ports_free jvm-opts.sh "$port_a" "$port_b"
bench_start jvm-opts
log "building Wharf and the load generator"
(cd "$root" && mvn -B -q -o -DskipTests package >/dev/null)
bench_build
bench_random_file "$big" "$big_size"
cat "$big" > /dev/null

start() { # name port opts
  mkdir -p "$work/$1"
  cat > "$work/$1/config.yml" <<YAML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/$1/root
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$2
YAML
  if [ -n "$3" ]; then
    (cd "$root" && JAVA_OPTS=$3 exec ./wharf serve "$work/$1/config.yml") > "$work/$1/log" 2>&1 &
  else
    (cd "$root" && unset JAVA_OPTS && exec ./wharf serve "$work/$1/config.yml") > "$work/$1/log" 2>&1 &
  fi
  pids+=("$!")
  for _ in $(seq 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$2/v2/")" = 200 ] && return 0
    sleep 0.1
  done
  echo "jvm-opts.sh: server $1 did not start" >&2; tail -20 "$work/$1/log" >&2; exit 1
}
start a "$port_a" "$opts_a"; pid_a=${pids[-1]}
start b "$port_b" "$opts_b"; pid_b=${pids[-1]}
sleep 10 # idle RSS is defined as 10 s after start
add() { printf '%s\t%s\t%s\t%s\t%s\n' "$@" >> "$tsv"; }
java_pid() { pgrep -P "$1" java || echo "$1"; } # ./wharf execs java, so this is normally the pid itself
pa=$(java_pid "$pid_a"); pb=$(java_pid "$pid_b")
add idle_rss a 0 mib "$(awk '/^VmRSS/ {print $2 / 1024}' "/proc/$pa/status")"
add idle_rss b 0 mib "$(awk '/^VmRSS/ {print $2 / 1024}' "/proc/$pb/status")"

A=http://127.0.0.1:$port_a
B=http://127.0.0.1:$port_b
targets="a=$A b=$B"
pidargs="--pid a=$pa --pid b=$pb"
log "small-blob pushes, 16 clients"
# shellcheck disable=SC2086
bench small-push $pidargs --clients 16 --seconds "$secs" --warmup 1 --size 4096 --reps "$reps" --out "$tsv" $targets
log "1 GiB push, monolithic"
# shellcheck disable=SC2086
bench push-big $pidargs --mode mono --file "$big" --reps "$reps" --out "$tsv" $targets
log "16 concurrent pulls of the 1 GiB blob"
# shellcheck disable=SC2086
digest=$(bench ensure-big --file "$big" $targets)
bench pull $pidargs --clients 16 --size "$big_size" --reps "$reps" --out "$tsv" \
  "a=$A/v2/bench/big/blobs/$digest" "b=$B/v2/bench/big/blobs/$digest"
log "set-up: $repos repositories, 50 tags"
# shellcheck disable=SC2086
bench setup-repos --count "$repos" --tags 50 --clients 16 $targets >/dev/null
accept='Accept:application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json'
for method in GET HEAD; do
  log "manifest $method by tag, 64 clients"
  bench rps $pidargs --row "manifest_$(echo "$method" | tr '[:upper:]' '[:lower:]')" --method "$method" --clients 64 \
    --seconds "$secs" --warmup 1 --header "$accept" --reps "$reps" --out "$tsv" \
    "a=$A/v2/bench/tags/manifests/t000" "b=$B/v2/bench/tags/manifests/t000"
done
log "tag list, 64 clients"
bench rps $pidargs --row tags_list --method GET --clients 64 --seconds "$secs" --warmup 1 --reps "$reps" --out "$tsv" \
  "a=$A/v2/bench/tags/tags/list" "b=$B/v2/bench/tags/tags/list"
add rss a 0 peak_mib "$(awk '/^VmHWM/ {print $2 / 1024}' "/proc/$pa/status")"
add rss b 0 peak_mib "$(awk '/^VmHWM/ {print $2 / 1024}' "/proc/$pb/status")"

mkdir -p "$root/bench/results"
out=$root/bench/results/jvm-opts-$ts.md
cp "$tsv" "$root/bench/results/jvm-opts-$ts.tsv"
bench report --in "$tsv" --md "$out" --target a --target b \
  --meta "run: $ts, $reps reps per row, servers alternated rep by rep, $(( $(date +%s) - started )) s wall time" \
  --meta "a: ${opts_a:-(launcher defaults)}" --meta "b: $opts_b" \
  --meta "wharf: $(cd "$root" && git rev-parse --short HEAD)"
{ echo; echo "| idle RSS 10 s after start | MiB |"; echo "| --- | ---: |"
  awk -F'\t' '$1 == "idle_rss" {printf "| %s | %.0f |\n", $2, $5}' "$tsv"; } >> "$out"
cat "$out"
echo "results: $out"
