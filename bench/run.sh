#!/usr/bin/env bash
# Benchmarks Wharf against CNCF Distribution (Debian's docker-registry) side by side, with nginx and
# SHA-256 baselines, on 127.0.0.1 only. Every row alternates the servers rep by rep and reports medians.
#
#   bench/run.sh [--quick] [--reps N]
#
#   --quick    2 reps and shorter timed windows (about 6 minutes instead of about 15)
#   --reps N   repetitions per row (default 5)
# Environment: WHARF_JAVA_OPTS (default: unset, so ./wharf's own defaults apply), BENCH_PORT_BASE (default 15100; uses +0..+2),
#   BENCH_CACHE (where the 1 GiB test file is kept between runs; default /tmp/wharf-bench-cache).
# Needs: docker-registry, nginx, curl, dd, openssl, Maven (to build Wharf). Writes bench/results/<ts>.md.
set -euo pipefail

root=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../scripts/find-jdk.sh
source "$root/scripts/find-jdk.sh"
# shellcheck source=common.sh
source "$root/bench/common.sh"

reps=5
quick=0
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1; reps=2 ;;
    --reps) reps=$2; shift ;;
    *) echo "usage: bench/run.sh [--quick] [--reps N]" >&2; exit 2 ;;
  esac
  shift
done
if [ "$quick" = 1 ]; then secs=4; small_secs=4; walks=3; else secs=8; small_secs=8; walks=5; fi

wharf_opts=${WHARF_JAVA_OPTS-}
base=${BENCH_PORT_BASE:-15100}
dist_port=$base; wharf_port=$((base + 1)); nginx_port=$((base + 2))
cache=${BENCH_CACHE:-/tmp/wharf-bench-cache}
big=$cache/blob-1g.bin
big_size=$((1024 * 1024 * 1024))
repos=2000

for tool in docker-registry nginx curl dd openssl wrk; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed" >&2; exit 1; }
done
bench_ports_free run.sh "$dist_port" "$wharf_port" "$nginx_port"

bench_start bench
bench_pause_open
# ---------------------------------------------------------------- build and inputs
log "building Wharf and the load generator"
bench_build
bench_random_file "$big" "$big_size"
cat "$big" > /dev/null # into the page cache, so the client reads it from memory in every rep

# ---------------------------------------------------------------- servers
dist_config() { # data-dir port
  cat <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
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
}

# start_server name data-dir port -> sets server_pid; the process is ours to stop.
start_server() {
  local name=$1 dir=$2 port=$3
  mkdir -p "$dir"
  dist_config "$dir/root" "$port" > "$dir/config.yml"
  case $name in
    distribution) docker-registry serve "$dir/config.yml" > "$dir/log" 2>&1 & ;;
    wharf) if [ -n "$wharf_opts" ]; then
             (cd "$root" && JAVA_OPTS=$wharf_opts exec ./wharf serve "$dir/config.yml") > "$dir/log" 2>&1 &
           else
             (cd "$root" && unset JAVA_OPTS && exec ./wharf serve "$dir/config.yml") > "$dir/log" 2>&1 &
           fi ;;
  esac
  server_pid=$!
  pids+=("$server_pid")
}

# wait_ready port -> prints milliseconds since $t0 (from EPOCHREALTIME) until GET /v2/ answers 200 (60 s max),
# polling every ~2 ms without forking (common.sh, bench_answers_200).
wait_ready() {
  local deadline=$(( ${EPOCHREALTIME/./} + 60000000 ))
  until bench_answers_200 "$1"; do
    if [ "${EPOCHREALTIME/./}" -gt "$deadline" ]; then
      echo "run.sh: server on port $1 did not answer within 60 s" >&2; return 1
    fi
    bench_pause
  done
  echo $(( (${EPOCHREALTIME/./} - t0) / 1000 ))
}

stop_server() { # pid
  kill "$1" 2>/dev/null || true
  local i
  for i in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

port_of() { case $1 in wharf) echo "$wharf_port" ;; nginx) echo "$nginx_port" ;; *) echo "$dist_port" ;; esac; }
add() { printf '%s\t%s\t%s\t%s\t%s\n' "$@" >> "$tsv"; }
# Alternation for rows driven from this script: rep 0 distribution first, rep 1 wharf first, and so on.
order() { if [ $(($1 % 2)) = 0 ]; then echo distribution wharf; else echo wharf distribution; fi; }

# ---------------------------------------------------------------- baselines
log "baselines: disk, SHA-256"
# The disk's sequential rate with one fsync is measured in row (b) itself (push-big --disk), alternating with the
# pushes: on this VM's disk it varies by half between minutes, so a single dd up front misstated the ratio.
sync
dd if=/dev/zero of="$work/dd" bs=4k count=2000 oflag=dsync 2> "$work/dd.log"
add disk_dsync baseline 0 writes_per_s "$(awk '/copied/ {print 2000 / $(NF-3)}' "$work/dd.log")"
rm -f "$work/dd"
openssl speed -seconds 3 -bytes 16384 sha256 2>/dev/null > "$work/openssl.log"
add sha256_openssl baseline 0 mib_per_s "$(awk '$1 == "sha256" {sub(/k$/, "", $2); print $2 * 1000 / 1048576}' "$work/openssl.log")"
bench sha256 --out "$tsv"

# ---------------------------------------------------------------- (f) start-up time
log "start-up time, $reps reps each"
# One untimed start first: the launcher's first serve after a build trains its ahead-of-time cache (about 10 s,
# LAUNCHER.md), a cost paid once per build, not per start. The 2026-12-07 02:29 run timed it as its first rep (8.7 s).
t0=${EPOCHREALTIME/./}
start_server wharf "$work/startup-training" "$wharf_port"
wait_ready "$wharf_port" > /dev/null
stop_server "$server_pid"
rm -rf "$work/startup-training"
for rep in $(seq 0 $((reps - 1))); do
  for name in $(order "$rep"); do
    port=$(port_of "$name")
    t0=${EPOCHREALTIME/./}
    start_server "$name" "$work/startup-$name-$rep" "$port"
    ms=$(wait_ready "$port")
    add startup "$name" "$rep" ms "$ms"
    echo "startup $name rep $rep: $ms ms" >&2
    stop_server "$server_pid"
    rm -rf "$work/startup-$name-$rep"
  done
done

log "starting the servers for the remaining rows"
t0=${EPOCHREALTIME/./}; start_server distribution "$work/distribution" "$dist_port"; dist_pid=$server_pid; wait_ready "$dist_port" >/dev/null
t0=${EPOCHREALTIME/./}; start_server wharf "$work/wharf" "$wharf_port"; wharf_pid=$server_pid; wait_ready "$wharf_port" >/dev/null

mkdir -p "$work/nginx/tmp"
# nginx's workers run as another user: the WebDAV target of row (a) is a directory they may write, reached
# through the work directory (traversable, not listable); it goes with the work directory at exit.
chmod 711 "$work"
nginx_put=$work/nginx-put
mkdir -p "$nginx_put"
mkdir -m 777 "$nginx_put/files" "$nginx_put/tmp"
# The limit for rows (d) and (g): the same manifest and blob bytes as static files at the registries' own paths.
nginx_static=$work/nginx-static
mkdir -p "$nginx_static/v2"
cat > "$work/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log error;
daemon off;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path $work/nginx/tmp;
  proxy_temp_path $work/nginx/tmp;
  fastcgi_temp_path $work/nginx/tmp;
  uwsgi_temp_path $work/nginx/tmp;
  scgi_temp_path $work/nginx/tmp;
  server {
    listen 127.0.0.1:$nginx_port;
    root $cache;
    location / { }
    location /v2/ { root $nginx_static; }
    # The limit for row (a): the same 4 KiB bodies stored as files by WebDAV PUT (nginx does not fsync).
    location /small/ {
      root $nginx_put/files;
      client_body_temp_path $nginx_put/tmp;
      dav_methods PUT;
      create_full_put_path on;
      client_body_buffer_size 16k;
    }
  }
}
EOF
nginx -p "$work/nginx" -e "$work/nginx/error.log" -c "$work/nginx/nginx.conf" &
pids+=("$!")
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$nginx_port/" && break; sleep 0.1; done

D=http://127.0.0.1:$dist_port
W=http://127.0.0.1:$wharf_port
targets="distribution=$D wharf=$W"
pidargs="--pid distribution=$dist_pid --pid wharf=$wharf_pid"

# ---------------------------------------------------------------- (a), (b), (c)
log "(a) small-blob pushes"
# shellcheck disable=SC2086
bench small-push $pidargs --clients 16 --seconds "$small_secs" --warmup 1 --size 4096 --reps "$reps" --out "$tsv" \
  --plain-put nginx $targets "nginx=http://127.0.0.1:$nginx_port"
log "(b) 1 GiB pushes, chunked"
# shellcheck disable=SC2086
bench push-big $pidargs --mode chunked --chunk $((8 * 1024 * 1024)) --file "$big" --reps "$reps" --out "$tsv" $targets
log "(b) 1 GiB pushes, monolithic"
# shellcheck disable=SC2086
bench push-big $pidargs --mode mono --file "$big" --disk "$work" --reps "$reps" --out "$tsv" $targets
log "(c) 16 concurrent pulls of the 1 GiB blob, and nginx serving the same file"
# shellcheck disable=SC2086
digest=$(bench ensure-big --file "$big" $targets)
sync
bench pull $pidargs --clients 16 --size "$big_size" --reps "$reps" --out "$tsv" \
  "distribution=$D/v2/bench/big/blobs/$digest" "wharf=$W/v2/bench/big/blobs/$digest" \
  "nginx=http://127.0.0.1:$nginx_port/blob-1g.bin"

# ---------------------------------------------------------------- (d), (e)
log "(e) set-up: one small image in each of $repos repositories, 50 tags in bench/tags"
# shellcheck disable=SC2086
bench setup-repos --count "$repos" --tags 50 --clients 16 $targets >/dev/null
sync
accept='Accept:application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json'
manifest_path=/v2/bench/tags/manifests/t000
mkdir -p "$nginx_static$(dirname "$manifest_path")"
curl -sf -H "$accept" -o "$nginx_static$manifest_path" "$W$manifest_path"
for method in GET HEAD; do
  log "(d) manifest $method by tag, 64 clients; nginx serving the same bytes as a file"
  row=manifest_$(echo "$method" | tr '[:upper:]' '[:lower:]')
  bench rps $pidargs --row "$row" --method "$method" --clients 64 --seconds "$secs" --warmup 1 --header "$accept" \
    --reps "$reps" --out "$tsv" "distribution=$D$manifest_path" "wharf=$W$manifest_path" \
    "nginx=http://127.0.0.1:$nginx_port$manifest_path"
done

log "(d) manifest GET with wrk (2 threads, 64 connections; wrk cannot do HEAD)"
cat > "$work/manifest.lua" <<'EOF'
local req
function init(args)
  req = wrk.format(args[1] or "GET", nil, {["Accept"] =
    "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json"})
end
function request() return req end
EOF
to_ms='function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }'
for rep in $(seq 0 $((reps - 1))); do
  for name in $(order "$rep") nginx; do
    wrk -t2 -c64 -d"${secs}s" --latency -s "$work/manifest.lua" \
      "http://127.0.0.1:$(port_of "$name")$manifest_path" -- GET > "$work/wrk.log"
    if grep -q 'Non-2xx' "$work/wrk.log"; then echo "run.sh: wrk saw errors from $name" >&2; cat "$work/wrk.log" >&2; exit 1; fi
    add manifest_get_wrk "$name" "$rep" req_per_s "$(awk '/^Requests\/sec/ {print $2}' "$work/wrk.log")"
    add manifest_get_wrk "$name" "$rep" p50_ms "$(awk "$to_ms"' $1 == "50%" {print ms($2)}' "$work/wrk.log")"
    add manifest_get_wrk "$name" "$rep" p99_ms "$(awk "$to_ms"' $1 == "99%" {print ms($2)}' "$work/wrk.log")"
    echo "manifest_get_wrk $name rep $rep: $(awk '/^Requests\/sec/ {print $2}' "$work/wrk.log") req/s" >&2
  done
done

log "(g) 4 KiB blob GETs, 16 clients, digest checked; nginx serving the same bytes as a file"
head -c 4096 /dev/urandom > "$work/small.bin"
small_digest=sha256:$(sha256sum "$work/small.bin" | cut -d' ' -f1)
small_path=/v2/bench/small-pull/blobs/$small_digest
for base in "$D" "$W"; do
  loc=$(curl -sf -D - -o /dev/null -X POST "$base/v2/bench/small-pull/blobs/uploads/" | tr -d '\r' |
    sed -n 's/^[Ll]ocation: //p')
  case $loc in http*) ;; *) loc=$base$loc ;; esac
  case $loc in *\?*) sep='&' ;; *) sep='?' ;; esac
  curl -sf -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' --data-binary @"$work/small.bin" \
    "$loc${sep}digest=$small_digest"
done
mkdir -p "$nginx_static$(dirname "$small_path")"
cp "$work/small.bin" "$nginx_static$small_path"
bench rps $pidargs --row small_pull --method GET --clients 16 --seconds "$secs" --warmup 1 --digest "$small_digest" \
  --reps "$reps" --out "$tsv" "distribution=$D$small_path" "wharf=$W$small_path" \
  "nginx=http://127.0.0.1:$nginx_port$small_path"

log "(e) tag list, 64 clients"
bench rps $pidargs --row tags_list --method GET --clients 64 --seconds "$secs" --warmup 1 --reps "$reps" --out "$tsv" \
  "distribution=$D/v2/bench/tags/tags/list" "wharf=$W/v2/bench/tags/tags/list"
log "(e) catalog walks"
# shellcheck disable=SC2086
bench catalog $pidargs --n 100 --walks "$walks" --min-repos "$repos" --reps "$reps" --out "$tsv" $targets

# ---------------------------------------------------------------- (f) memory
for name in distribution wharf; do
  pid=$dist_pid; [ "$name" = wharf ] && pid=$wharf_pid
  add rss "$name" 0 peak_mib "$(awk '/^VmHWM/ {print $2 / 1024}' "/proc/$pid/status")"
done

# ---------------------------------------------------------------- report
elapsed=$(( $(date +%s) - started ))
log "done"
load_min=$(awk '{print $2}' "$work/load.log" | sort -n | head -1)
load_max=$(awk '{print $2}' "$work/load.log" | sort -n | tail -1)
mkdir -p "$root/bench/results"
out=$root/bench/results/$ts.md
cp "$tsv" "$root/bench/results/$ts.tsv"
jdk=$("$JAVA_HOME/bin/java" -version 2>&1 | head -1)
bench report --in "$tsv" --md "$out" --target distribution --target wharf \
  --meta "run: $ts, $( [ "$quick" = 1 ] && echo quick || echo full ) mode, $reps reps per row, targets alternated rep by rep, ${elapsed} s wall time" \
  --meta "machine: $(nproc) cores ($(awk -F': *' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), kernel $(uname -r), $(df -T "$work" | awk 'NR == 2 {print $2}') on $(df "$work" | awk 'NR == 2 {print $1}')" \
  --meta "distribution: $(docker-registry --version 2>&1 | head -1)" \
  --meta "wharf: $(cd "$root" && git rev-parse --short HEAD)$(cd "$root" && git diff --quiet HEAD -- src pom.xml || echo ' (with uncommitted changes)'), JAVA_OPTS=\"${wharf_opts:-(launcher defaults: -XX:+UseSerialGC -Xmx64m)}\", $jdk" \
  --meta "nginx: $(nginx -v 2>&1 | sed 's/^nginx version: //'), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), $(openssl version | cut -d' ' -f1-2)" \
  --meta "1-minute load average at row boundaries: $load_min to $load_max (2 cores; other processes on the machine count too)" \
  --meta "timed windows: ${small_secs} s small pushes, ${secs} s request-rate rows (after 1 s warm-up), $walks catalog walks per rep"
echo "results: $out" >&2
