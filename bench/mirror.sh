#!/usr/bin/env bash
# Benchmarks Wharf against CNCF Distribution 2.8.2 (Debian's docker-registry) as a pull-through cache of one
# upstream (another docker-registry 2.8.2), on 127.0.0.1 only. Rows alternate the two mirrors rep by rep (the order
# flips every rep) and report medians; every cold row starts a fresh mirror process on an empty data directory.
#
#   bench/mirror.sh [--quick] [--reps N]
#
#   --quick    2 reps (about 3-4 minutes instead of 6-7 on 2 busy cores)
#   --reps N   repetitions per row (default 5)
# Rows, each for the Distribution mirror and the Wharf mirror:
#   (1) cold pull of a 5-layer image (200 MiB): manifest by tag, then config and layers over 3 connections,
#       every blob hashed as it arrives; time to the last byte, then how long until every blob is on the mirror's disk;
#   (2) warm pull of the same image from the same mirror once (1) is stored;
#   (3) 32 clients at once GET one uncached 512 MiB layer (fresh mirror); time until the last client has its last
#       byte, every client's bytes hashed and checked against the digest.
# Upstream bytes and requests come from the upstream's access log (Distribution logs each response's body size);
# only one mirror runs at a time, and a row's lines are counted after the mirror has stored everything (row 3: after
# the mirror is stopped, so a fetch still running is cut off and logged).
# Both mirrors get the same generated config.yml (own port and data directory): filesystem storage and
# proxy.remoteurl only. Wharf's spool for blobs in flight is its default, ${java.io.tmpdir}/wharf-mirror.
# Environment: WHARF_JAVA_OPTS (default: unset, so ./wharf's own defaults apply), BENCH_PORT_BASE (default 15300;
#   uses +0..+2), BENCH_CACHE (where the 1 GiB random file the layers are cut from is kept; default
#   /tmp/wharf-bench-cache, shared with bench/run.sh).
# Needs: docker-registry, curl, Maven (to build Wharf). Writes bench/results/mirror-<ts>.md, .tsv and the upstream's
# access log.
set -euo pipefail

root=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/find-jdk.sh source-path=SCRIPTDIR/..
source "$root/scripts/find-jdk.sh"
# shellcheck source=common.sh
source "$root/bench/common.sh"

reps=5
quick=0
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1; reps=2 ;;
    --reps) [ $# -ge 2 ] || { echo "mirror.sh: --reps needs a number" >&2; exit 2; }; reps=$2; shift ;;
    *) echo "usage: bench/mirror.sh [--quick] [--reps N]" >&2; exit 2 ;;
  esac
  shift
done
case $reps in '' | *[!0-9]* | 0) echo "mirror.sh: --reps must be a positive number" >&2; exit 2 ;; esac

wharf_opts=${WHARF_JAVA_OPTS-}
base=${BENCH_PORT_BASE:-15300}
upstream_port=$base; dist_port=$((base + 1)); wharf_port=$((base + 2))
cache=${BENCH_CACHE:-/tmp/wharf-bench-cache}
big=$cache/blob-1g.bin
big_size=$((1024 * 1024 * 1024))
mib=$((1024 * 1024))
layers=5; layer_size=$((40 * mib))     # the image: 5 x 40 MiB cut from the start of the file
fan_size=$((512 * mib)); fan_offset=$((512 * mib))  # the fan-out layer: the file's second half
clients=32; parallel=3

for tool in docker-registry curl; do
  command -v "$tool" >/dev/null || { echo "mirror.sh: $tool is not installed" >&2; exit 1; }
done
bench_ports_free mirror.sh "$upstream_port" "$dist_port" "$wharf_port"

bench_start mirror-bench
# ---------------------------------------------------------------- build and inputs
log "building Wharf and the load generator"
bench_build
bench_random_file "$big" "$big_size"

# ---------------------------------------------------------------- servers
# config data-dir port [upstream-port]: the Distribution config run.sh uses; with an upstream port, a mirror of it.
config() {
  cat <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: $([ $# -ge 3 ] && echo true || echo false)
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: $1
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$2
EOF
  if [ $# -ge 3 ]; then
    printf 'proxy:\n  remoteurl: http://127.0.0.1:%s\n' "$3"
  fi
}

# start_server name dir port [upstream-port] -> sets server_pid (for Wharf the JVM: the launcher execs java).
# Distribution writes its access log to stdout, so dir/stdout is the upstream's access log.
start_server() {
  local name=$1 dir=$2 port=$3
  mkdir -p "$dir"
  config "$dir/root" "$port" "${@:4}" > "$dir/config.yml"
  case $name in
    distribution | upstream) docker-registry serve "$dir/config.yml" > "$dir/stdout" 2> "$dir/stderr" & ;;
    wharf) if [ -n "$wharf_opts" ]; then
             (cd "$root" && JAVA_OPTS=$wharf_opts exec ./wharf serve "$dir/config.yml") > "$dir/stdout" 2> "$dir/stderr" &
           else
             (cd "$root" && unset JAVA_OPTS && exec ./wharf serve "$dir/config.yml") > "$dir/stdout" 2> "$dir/stderr" &
           fi ;;
  esac
  server_pid=$!
  pids+=("$server_pid")
}

wait_ready() { # port
  for _ in $(seq 6000); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/v2/")" = 200 ] && return 0
    sleep 0.01
  done
  echo "mirror.sh: server on port $1 did not answer within 60 s" >&2; return 1
}

stop_server() { # pid; also forgets it, so the exit trap never signals a pid the system has since reused
  kill "$1" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  local keep=() p
  for p in "${pids[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
  pids=("${keep[@]}")
}

port_of() { if [ "$1" = wharf ]; then echo "$wharf_port"; else echo "$dist_port"; fi; }
add() { printf '%s\t%s\t%s\t%s\t%s\n' "$@" >> "$tsv"; }
order() { if [ $(($1 % 2)) = 0 ]; then echo distribution wharf; else echo wharf distribution; fi; }

# ---------------------------------------------------------------- the upstream and its content
log "starting the upstream and pushing the image and the 512 MiB layer into it"
start_server upstream "$work/upstream" "$upstream_port"; upstream_pid=$server_pid
wait_ready "$upstream_port"
up_log=$work/upstream/stdout
U=http://127.0.0.1:$upstream_port
mapfile -t image < <(bench push-image --file "$big" --offset 0 --layers "$layers" --layer-size "$layer_size" \
  --repo bench/image --tag v1 "upstream=$U")
mapfile -t fan < <(bench push-image --file "$big" --offset "$fan_offset" --layers 1 --layer-size "$fan_size" \
  --repo bench/big --tag v1 "upstream=$U")
if [ "${#image[@]}" != $((layers + 2)) ] || [ "${#fan[@]}" != 3 ]; then
  echo "mirror.sh: pushing to the upstream failed" >&2; exit 1
fi
fan_digest=${fan[2]%:*}
echo "image bench/image:v1 ${image[0]}; layer bench/big ${fan_digest}" >&2
image_mib=$(printf '%s\n' "${image[@]:1}" | awk -F: '{s += $3} END {printf "%.1f", s / 1048576}')
add mirror_cold baseline 0 content_mib "$image_mib"
add mirror_fanout baseline 0 content_mib $((fan_size / mib))
# The upstream serves from the page cache in every rep: its blobs were just written; flush them and read them once.
sync
find "$work/upstream/root" -name data -exec cat {} + > /dev/null
bench sha256 --bytes "$big_size" --out "$tsv"

# upstream_since line [digest] -> "bytes requests blob-GETs" in the upstream's access log after that line, only
# requests whose path names the digest when one is given. Combined log format: $6 "METHOD, $7 path, $10 body bytes.
# HEAD lines are not counted as bytes: Distribution logs a manifest's length for a HEAD that sends no body.
upstream_since() {
  tail -n +$(($1 + 1)) "$up_log" | awk -v d="${2:-}" '
    d == "" || index($7, d) { if ($6 != "\"HEAD") bytes += $10; n++; if ($6 == "\"GET" && index($7, "/blobs/")) gets++ }
    END { printf "%.0f %d %d\n", bytes, n, gets }'
}
record_upstream() { # row name rep line [digest]
  local got
  got=$(upstream_since "$4" "${5:-}")
  read -r bytes requests gets <<< "$got"
  add "$1" "$2" "$3" upstream_bytes "$bytes"
  add "$1" "$2" "$3" upstream_mib "$(awk -v b="$bytes" 'BEGIN {printf "%.3f", b / 1048576}')"
  add "$1" "$2" "$3" upstream_requests "$requests"
  add "$1" "$2" "$3" upstream_gets "$gets"
  echo "$1 $2 rep $3: upstream served $bytes bytes in $requests requests ($gets blob GETs)" >&2
}
lines() { wc -l < "$up_log"; }
# keep_errors dir label: what a mirror wrote to stdout/stderr (log level error), for the report.
keep_errors() {
  if [ -s "$1/stderr" ] || [ -s "$1/stdout" ]; then
    { echo "--- $2: the mirror's output, last 20 lines:"; tail -20 "$1/stdout" "$1/stderr"; } >> "$work/mirror-errors.log"
  fi
}

# ---------------------------------------------------------------- rows
for rep in $(seq 0 $((reps - 1))); do
  for name in $(order "$rep"); do
    port=$(port_of "$name"); M=http://127.0.0.1:$port

    log "(1)+(2) $name rep $rep: fresh mirror, cold pull, then warm pull"
    dir=$work/mirror-$name-$rep
    start_server "$name" "$dir" "$port" "$upstream_port"; mirror_pid=$server_pid
    wait_ready "$port"
    sync
    mark=$(lines)
    bench image-pull --row mirror_cold --rep "$rep" --repo bench/image --tag v1 --parallel "$parallel" \
      --stored-dir "$dir/root" --pid "$name=$mirror_pid" --upstream-pid "$upstream_pid" --out "$tsv" "$name=$M"
    sleep 0.3 # the upstream logs a request after its last byte has gone out
    record_upstream mirror_cold "$name" "$rep" "$mark"
    mark=$(lines)
    bench image-pull --row mirror_warm --rep "$rep" --repo bench/image --tag v1 --parallel "$parallel" \
      --pid "$name=$mirror_pid" --upstream-pid "$upstream_pid" --out "$tsv" "$name=$M"
    sleep 0.3
    record_upstream mirror_warm "$name" "$rep" "$mark"
    stop_server "$mirror_pid"
    keep_errors "$dir" "$name rep $rep, rows 1-2"
    rm -rf "$dir"

    log "(3) $name rep $rep: fresh mirror, $clients clients GET the uncached 512 MiB layer"
    dir=$work/mirror-$name-$rep-fan
    start_server "$name" "$dir" "$port" "$upstream_port"; mirror_pid=$server_pid
    wait_ready "$port"
    sync
    mark=$(lines)
    bench pull --row mirror_fanout --rep "$rep" --clients "$clients" --size "$fan_size" --digest "$fan_digest" \
      --stored-dir "$dir/root" --pid "$name=$mirror_pid" --upstream-pid "$upstream_pid" --out "$tsv" \
      "$name=$M/v2/bench/big/blobs/$fan_digest"
    add mirror_fanout "$name" "$rep" peak_rss_mib "$(awk '/^VmHWM/ {print $2 / 1024}' "/proc/$mirror_pid/status")"
    # Stopped before counting: a fetch from the upstream still running would end here and be logged with the
    # bytes it had sent.
    stop_server "$mirror_pid"
    sleep 0.5
    record_upstream mirror_fanout "$name" "$rep" "$mark" "$fan_digest"
    keep_errors "$dir" "$name rep $rep, row 3"
    rm -rf "$dir"
  done
done

# ---------------------------------------------------------------- report
elapsed=$(( $(date +%s) - started ))
log "done"
load_min=$(awk '{print $2}' "$work/load.log" | sort -n | head -1)
load_max=$(awk '{print $2}' "$work/load.log" | sort -n | tail -1)
mkdir -p "$root/bench/results"
out=$root/bench/results/mirror-$ts.md
cp "$tsv" "$root/bench/results/mirror-$ts.tsv"
cp "$up_log" "$root/bench/results/mirror-$ts-upstream-access.log"
jdk=$("$JAVA_HOME/bin/java" -version 2>&1 | head -1)
timeouts=$(awk -F'\t' '$4 == "stored_timeout"' "$tsv" | wc -l)
bench report --in "$tsv" --md "$out" --target distribution --target wharf \
  --meta "run: $ts, $( [ "$quick" = 1 ] && echo quick || echo full ) mode, $reps reps per row, mirrors alternated rep by rep, ${elapsed} s wall time" \
  --meta "machine: $(nproc) cores ($(awk -F': *' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), kernel $(uname -r), $(df -T "$work" | awk 'NR == 2 {print $2}') on $(df "$work" | awk 'NR == 2 {print $1}')" \
  --meta "upstream and Distribution mirror: $(docker-registry --version 2>&1 | head -1)" \
  --meta "wharf: $(cd "$root" && git rev-parse --short HEAD)$(cd "$root" && git diff --quiet HEAD -- src pom.xml || echo ' (with uncommitted changes)'), JAVA_OPTS=\"${wharf_opts:-(launcher defaults: -XX:+UseSerialGC -Xmx64m)}\", $jdk" \
  --meta "content: bench/image:v1 = config + $layers x $((layer_size / mib)) MiB layers (${image[0]}); bench/big layer $fan_digest ($((fan_size / mib)) MiB); $clients clients in row 3, $parallel connections per pull in rows 1-2" \
  --meta "blobs not on the mirror's disk within 120 s of the last byte: $timeouts" \
  --meta "1-minute load average at row boundaries: $load_min to $load_max (2 cores; other processes on the machine count too)"
if [ -s "$work/mirror-errors.log" ]; then
  { echo; echo '```'; cat "$work/mirror-errors.log"; echo '```'; } >> "$out"
fi
echo "results: $out" >&2
