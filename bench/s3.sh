#!/usr/bin/env bash
# Wharf against CNCF Distribution 2.8.2 (Debian's docker-registry) on the same S3 server (S3Proxy, started here),
# side by side, each in its own root directory of one bucket. Rows alternate the servers rep by rep; medians.
#
#   bench/s3.sh [--quick] [--reps N] [--repos N] [--catalog-n N] [--big-mib N] [--big-chunk-mib N] [--only catalog|big]
#
#   --quick        2 reps, 2,000 repositories, a 64 MiB blob, pages of 100 (about 5 minutes)
#   --reps N       repetitions per row (default 3)
#   --repos N      repositories for the catalog row (default 10,000)
#   --catalog-n N  page size of the catalog walks (default 1,000: Distribution walks the whole bucket for every
#                  page, so pages of 100 over 10,000 repositories take it most of an hour per walk)
#   --big-mib N    size of the large blob in MiB (default 256)
#   --big-chunk-mib N  with --only big: push the large blob in PATCHes of N MiB (default: one PATCH)
#   --only catalog only the catalog row
#   --only big     only the large blob: its push in one PATCH and one pull per server, with each server's peak RSS
#                  (e.g. --only big --big-mib 5120 --reps 1 for the 5 GiB layer)
# Rows: small-blob pushes (16 clients), a chunked push of a large blob, 16 concurrent pulls of it (streamed through
# the registry: storage.redirect.disable on both, so the registry, not S3, is measured), and catalog walks
# (/v2/_catalog?n=100 to the end) over the repositories. Writes bench/results/s3-<ts>.md.
set -euo pipefail

root=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../scripts/find-jdk.sh
source "$root/scripts/find-jdk.sh"
# shellcheck source=../scripts/s3-server.sh
source "$root/scripts/s3-server.sh"
# shellcheck source=common.sh
source "$root/bench/common.sh"

reps=3
repos=10000
big_mib=256
catalog_n=1000
only=
big_chunk_mib=
quick=0
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1; reps=2; repos=2000; big_mib=64; catalog_n=100 ;;
    --reps) reps=$2; shift ;;
    --repos) repos=$2; shift ;;
    --catalog-n) catalog_n=$2; shift ;;
    --big-mib) big_mib=$2; shift ;;
    --big-chunk-mib) big_chunk_mib=$2; shift ;;
    --only) only=$2; shift ;;
    *) echo "usage: bench/s3.sh [--quick] [--reps N] [--repos N] [--catalog-n N] [--big-mib N] [--big-chunk-mib N] [--only catalog|big]" >&2
       exit 2 ;;
  esac
  shift
done
command -v docker-registry >/dev/null || { echo "s3.sh: docker-registry is not installed" >&2; exit 1; }
base=${BENCH_PORT_BASE:-15200}
dist_port=$base; wharf_port=$((base + 1))

bench_ports_free s3.sh "$dist_port" "$wharf_port"
bench_start s3-bench

log "building Wharf, its test classes (S3Proxy) and the load generator"
(cd "$root" && mvn -B -q -o test-compile >/dev/null)
bench_build
big=$work/big.bin
head -c $((big_mib * 1024 * 1024)) /dev/urandom > "$big"

log "starting S3Proxy"
start_s3 "$work"
pids+=("$s3_pid")

config() { # rootdirectory port
  cat <<YAML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
$(s3_storage "$1")
  cache:
    blobdescriptor: inmemory
  delete:
    enabled: true
  redirect:
    disable: true
http:
  addr: 127.0.0.1:$2
YAML
}
config /distribution "$dist_port" > "$work/distribution.yml"
config /wharf "$wharf_port" > "$work/wharf.yml"
# Distribution must not pick up AWS_* variables of this machine (it would, through the SDK's chain).
env -u AWS_CA_BUNDLE -u AWS_PROFILE -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY \
  docker-registry serve "$work/distribution.yml" > "$work/distribution.log" 2>&1 &
dist_pid=$!; pids+=("$dist_pid")
(cd "$root" && unset JAVA_OPTS && exec ./wharf serve "$work/wharf.yml") > "$work/wharf.log" 2>&1 &
wharf_pid=$!; pids+=("$wharf_pid")
for port in "$dist_port" "$wharf_port"; do
  for _ in $(seq 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/")" = 200 ] && break
    sleep 0.1
  done
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/")" = 200 ] \
    || { echo "s3.sh: the server on $port did not start" >&2; tail -20 "$work"/*.log >&2; exit 1; }
done
D=http://127.0.0.1:$dist_port
W=http://127.0.0.1:$wharf_port
targets="distribution=$D wharf=$W"
pidargs="--pid distribution=$dist_pid --pid wharf=$wharf_pid"

if [ "$only" = big ]; then
# By default one PATCH with the whole blob, as docker, podman and skopeo push a layer.
chunk_mib=${big_chunk_mib:-$big_mib}
log "push of a $big_mib MiB blob in PATCHes of $chunk_mib MiB"
# shellcheck disable=SC2086
bench push-big $pidargs --mode chunked --chunk $((chunk_mib * 1024 * 1024)) --file "$big" --reps "$reps" --out "$tsv" \
  $targets
for name in distribution wharf; do
  pid=$dist_pid; [ "$name" = wharf ] && pid=$wharf_pid
  log "$name after the push: peak RSS $(awk '/^VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status") MiB"
done
log "one pull of the $big_mib MiB blob per server"
# shellcheck disable=SC2086
digest=$(bench ensure-big --file "$big" $targets)
bench pull $pidargs --clients 1 --size $((big_mib * 1024 * 1024)) --reps "$reps" --out "$tsv" \
  "distribution=$D/v2/bench/big/blobs/$digest" "wharf=$W/v2/bench/big/blobs/$digest"
fi
if [ -z "$only" ]; then
log "small-blob pushes, 16 clients"
# shellcheck disable=SC2086
bench small-push $pidargs --clients 16 --seconds 8 --warmup 1 --size 4096 --reps "$reps" --out "$tsv" $targets
log "chunked push of a $big_mib MiB blob"
# shellcheck disable=SC2086
bench push-big $pidargs --mode chunked --chunk $((16 * 1024 * 1024)) --file "$big" --reps "$reps" --out "$tsv" $targets
log "16 concurrent pulls of the $big_mib MiB blob"
# shellcheck disable=SC2086
digest=$(bench ensure-big --file "$big" $targets)
bench pull $pidargs --clients 16 --size $((big_mib * 1024 * 1024)) --reps "$reps" --out "$tsv" \
  "distribution=$D/v2/bench/big/blobs/$digest" "wharf=$W/v2/bench/big/blobs/$digest"
fi
if [ "$only" != big ]; then
log "set-up: one small image in each of $repos repositories"
# shellcheck disable=SC2086
bench setup-repos --count "$repos" --tags 1 --clients 16 $targets >/dev/null
log "catalog walks over $repos repositories"
# shellcheck disable=SC2086
bench catalog $pidargs --n "$catalog_n" --walks 1 --min-repos "$repos" --reps "$reps" --out "$tsv" $targets
fi
for name in distribution wharf; do
  pid=$dist_pid; [ "$name" = wharf ] && pid=$wharf_pid
  printf '%s\t%s\t%s\t%s\t%s\n' rss "$name" 0 peak_mib "$(awk '/^VmHWM/ {print $2 / 1024}' "/proc/$pid/status")" >> "$tsv"
done

elapsed=$(( $(date +%s) - started ))
mkdir -p "$root/bench/results"
out=$root/bench/results/s3-$ts.md
cp "$tsv" "$root/bench/results/s3-$ts.tsv"
bench report --in "$tsv" --md "$out" --target distribution --target wharf \
  --meta "run: $ts, $( [ "$quick" = 1 ] && echo quick || echo full ) mode, $reps reps per row, targets alternated rep by rep, ${elapsed} s wall time" \
  --meta "storage: S3Proxy $(basename "$(tr ':' '\n' < "$work/test-classpath.txt" | grep -m1 's3proxy')" .jar) (filesystem-nio2) on 127.0.0.1, one bucket, a root directory per registry; redirects disabled on both" \
  --meta "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); the S3 server shares it" \
  --meta "distribution: $(docker-registry --version 2>&1 | head -1)" \
  --meta "wharf: $(cd "$root" && git rev-parse --short HEAD)" \
  --meta "catalog: /v2/_catalog?n=$catalog_n followed to the end over $repos repositories, one walk per rep"
# The report's row label carries run.sh's page size and count; say this run's.
sed -i "s/full catalog walk, n=100, 2,000 repos/full catalog walk, n=$catalog_n, $repos repos/" "$out"
echo "results: $out" >&2
