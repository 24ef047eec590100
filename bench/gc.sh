#!/usr/bin/env bash
# Garbage collection, Wharf against CNCF Distribution 2.8.2 (Debian's docker-registry), on the filesystem and on S3
# (S3Proxy, started here), each run on its own copy of one store. Rows alternate the two rep by rep; medians.
#
#   bench/gc.sh [--repos N] [--reps N] [--only fs|s3] [--push-clients N]
#
#   --repos N   repositories of 20 manifests and 90 blobs each, plus 10 orphan blobs per repository
#               (default 500: 10,000 manifests and 50,000 blobs, as in docs/BENCHMARKS.md)
#   --reps N    repetitions per row (default 3)
#   --only X    only the filesystem (fs) or the S3 rows
#   --push-clients N  clients pushing through the other instance during the online collection (default 2; 0: none,
#                     which separates the online path's own cost from the pushes' load on the shared machine)
# The store is written once by GcBenchmarkStore (test sources) to the filesystem; each run gets a fresh copy (cp -a
# keeps the files' times; on S3 the copy is placed in S3Proxy's directory under a new root directory, so both
# registries read identical objects). Rows (wall time, start-up included):
#   fs/s3 dry run -m  garbage-collect --dry-run --delete-untagged, both
#   fs/s3 real -m     garbage-collect --delete-untagged, both, each on a fresh copy
#   s3 online -m      Wharf only: two instances on the copy with Redis, both done with their start-up reads (the
#                     web UI's inventory); `wharf gc-now -m` through one while the load generator pushes 4 KiB blobs
#                     through the other for the whole collection
# After each real run the blobs left are counted; Wharf and Distribution must leave the same number.
# Writes bench/results/gc-<ts>.md.
set -euo pipefail

root=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../scripts/find-jdk.sh
source "$root/scripts/find-jdk.sh"
# shellcheck source=../scripts/s3-server.sh
source "$root/scripts/s3-server.sh"
# shellcheck source=common.sh
source "$root/bench/common.sh"

repos=500
reps=3
only=
push_clients=2
while [ $# -gt 0 ]; do
  case $1 in
    --repos) repos=$2; shift ;;
    --reps) reps=$2; shift ;;
    --only) only=$2; shift ;;
    --push-clients) push_clients=$2; shift ;;
    *) echo "usage: bench/gc.sh [--repos N] [--reps N] [--only fs|s3] [--push-clients N]" >&2; exit 2 ;;
  esac
  shift
done
command -v docker-registry >/dev/null || { echo "gc.sh: docker-registry is not installed" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "gc.sh: redis-server is not installed" >&2; exit 1; }
base=${BENCH_PORT_BASE:-15300}
bench_ports_free gc.sh "$((base + 1))" "$((base + 2))"
bench_start gc-bench

log "building Wharf, its test classes and the load generator"
(cd "$root" && mvn -B -q -o test-compile >/dev/null)
(cd "$root" && mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/test-classpath.txt" >/dev/null)
bench_build
store=$work/store
log "writing the store: $repos repositories"
"$JAVA_HOME/bin/java" -cp "$root/target/classes:$root/target/test-classes:$(cat "$work/test-classpath.txt")" \
  io.wharf.lifecycle.bench.GcBenchmarkStore "$store" "$repos" >&2
manifests=$((repos * 20)); blobs=$((repos * 100))

# record ROW TARGET SECONDS
record() { printf '%s\t%s\n' "$1|$2" "$3" >> "$work/times.tsv"; }
# timed FILE CMD...: runs CMD with its output in FILE, prints the wall seconds; fails when CMD fails.
timed() {
  local out=$1 t0 t1
  shift
  t0=$(date +%s.%N)
  "$@" > "$out" 2>&1 || { echo "gc.sh: failed: $*" >&2; tail -20 "$out" >&2; return 1; }
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc
}
fs_config() { # ROOTDIR
  printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\n  delete:\n    enabled: true\n' "$1"
}
s3_config() { # ROOTDIR [PORT [REDISPORT]]
  printf 'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n%s\n  delete:\n    enabled: true\n' \
    "$(s3_storage "$1")"
  if [ $# -ge 2 ]; then
    printf 'http:\n  addr: 127.0.0.1:%s\n  secret: gc-bench-shared-secret\nredis:\n  addr: 127.0.0.1:%s\ngc:\n  graceperiod: 5s\n' "$2" "$3"
  fi
}
dist_gc() { env -u AWS_CA_BUNDLE -u AWS_PROFILE -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY \
  docker-registry garbage-collect "$@"; }
wharf_gc() { (cd "$root" && unset JAVA_OPTS && exec ./wharf garbage-collect "$@"); }
blobs_left() { find "$1" -path '*/blobs/*' -name data -type f | wc -l; }

check_same() { # ROW: the blobs left by each target must agree
  local counts
  counts=$(awk -F'\t' -v r="$1" '$1 == r {print $2}' "$work/left.tsv" | sort -u | wc -l)
  [ "$counts" -le 1 ] || { echo "gc.sh: $1: the registries left different numbers of blobs:" >&2;
    grep "^$1" "$work/left.tsv" >&2; exit 1; }
}

if [ "$only" != s3 ]; then
  for rep in $(seq "$reps"); do
    for target in distribution wharf; do
      fs_config "$store" > "$work/fs-dry.yml"
      if [ "$target" = distribution ]; then
        record "fs dry run -m" "$target" "$(timed "$work/out.txt" dist_gc --dry-run -m "$work/fs-dry.yml")"
      else
        record "fs dry run -m" "$target" "$(timed "$work/out.txt" wharf_gc --dry-run -m "$work/fs-dry.yml")"
      fi
      copy=$work/fs-copy; rm -rf "$copy"; cp -a "$store" "$copy"; sync
      fs_config "$copy" > "$work/fs.yml"
      log "fs real -m, rep $rep, $target"
      if [ "$target" = distribution ]; then
        record "fs real -m" "$target" "$(timed "$work/out.txt" dist_gc -m "$work/fs.yml")"
      else
        record "fs real -m" "$target" "$(timed "$work/out.txt" wharf_gc -m "$work/fs.yml")"
      fi
      printf 'fs\t%s\n' "$(blobs_left "$copy")" >> "$work/left.tsv"
      rm -rf "$copy"
    done
  done
  check_same fs
fi

if [ "$only" != fs ]; then
  log "starting S3Proxy and Redis"
  start_s3 "$work"
  pids+=("$s3_pid")
  redis_port=$((base + 3))
  redis-server --port "$redis_port" --save '' --appendonly no > "$work/redis.log" 2>&1 &
  pids+=("$!")
  bucket_dir=$work/s3/s3-data/$S3_BUCKET
  # s3_copy NAME: the store as objects under the root directory NAME of the bucket.
  s3_copy() { mkdir -p "$bucket_dir/$1"; cp -a "$store/docker" "$bucket_dir/$1/"; sync; }
  s3_left() { find "$bucket_dir/$1" -path '*/blobs/*' -name data -type f | wc -l; }
  n=0
  for rep in $(seq "$reps"); do
    for target in distribution wharf wharf-online; do
      n=$((n + 1)); name=r$n
      s3_copy "$name"
      s3_config "/$name" > "$work/s3.yml"
      log "s3 rows, rep $rep, $target"
      case $target in
        distribution)
          record "s3 dry run -m" "$target" "$(timed "$work/out.txt" dist_gc --dry-run -m "$work/s3.yml")"
          record "s3 real -m" "$target" "$(timed "$work/out.txt" dist_gc -m "$work/s3.yml")" ;;
        wharf)
          record "s3 dry run -m" "$target" "$(timed "$work/out.txt" wharf_gc --dry-run -m "$work/s3.yml")"
          record "s3 real -m" "$target" "$(timed "$work/out.txt" wharf_gc -m "$work/s3.yml")" ;;
        wharf-online)
          a=$((base + 1)); b=$((base + 2))
          s3_config "/$name" "$a" "$redis_port" | sed 's/level: error/level: info/' > "$work/a.yml"
          s3_config "/$name" "$b" "$redis_port" | sed 's/level: error/level: info/' > "$work/b.yml"
          (cd "$root" && unset JAVA_OPTS && exec ./wharf serve "$work/a.yml") > "$work/a.log" 2>&1 &
          pa=$!; pids+=("$pa")
          (cd "$root" && unset JAVA_OPTS && exec ./wharf serve "$work/b.yml") > "$work/b.log" 2>&1 &
          pb=$!; pids+=("$pb")
          for port in "$a" "$b"; do
            for _ in $(seq 600); do
              [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/")" = 200 ] && break
              sleep 0.1
            done
          done
          # A collection on a running registry, not on one still starting: each instance first reads every
          # repository and tag for the web UI's inventory (on S3, seconds of requests), so that is waited for.
          for log_file in "$work/a.log" "$work/b.log"; do
            for _ in $(seq 1200); do
              grep -q 'ui: read' "$log_file" && break
              sleep 0.1
            done
          done
          # The pushes through B run for longer than any collection; they are stopped when it ends.
          pp=
          if [ "$push_clients" -gt 0 ]; then
            bench small-push --clients "$push_clients" --seconds 900 --warmup 0 --size 4096 --reps 1 \
              --out "$work/push.tsv" "wharf=http://127.0.0.1:$b" > "$work/push.log" 2>&1 &
            pp=$!; pids+=("$pp")
          fi
          record "s3 online -m" wharf "$(timed "$work/out.txt" \
            bash -c "cd '$root' && ./wharf gc-now --url http://127.0.0.1:$a -m")"
          kill $pp "$pa" "$pb" 2>/dev/null || true
          wait $pp "$pa" "$pb" 2>/dev/null || true
          mkdir -p "$root/bench/results"
          grep 'gc:' "$work/a.log" > "$root/bench/results/gc-$ts-online-$n.log" || true
          grep -h . "$work/push.tsv" >> "$root/bench/results/gc-$ts-online-$n.log" 2>/dev/null || true
          cat "$work/out.txt" >&2 ;;
      esac
      printf 's3-%s\t%s\n' "$target" "$(s3_left "$name")" >> "$work/left.tsv"
      rm -rf "${bucket_dir:?}/$name"
    done
  done
  [ "$(grep -c '^s3-distribution' "$work/left.tsv")" = 0 ] || \
    [ "$(grep '^s3-distribution' "$work/left.tsv" | cut -f2 | sort -u)" = "$(grep '^s3-wharf	' "$work/left.tsv" | cut -f2 | sort -u)" ] \
    || { echo "gc.sh: on S3 the registries left different numbers of blobs" >&2; cat "$work/left.tsv" >&2; exit 1; }
fi

elapsed=$(( $(date +%s) - started ))
mkdir -p "$root/bench/results"
out=$root/bench/results/gc-$ts.md
{
  echo "# Garbage collection: $manifests manifests, $blobs blobs ($repos repositories)"
  echo
  echo "run $ts, $reps reps per row, alternating, ${elapsed} s in all; machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) at the end"
  echo "distribution: $(docker-registry --version 2>&1 | head -1); wharf: $(cd "$root" && git rev-parse --short HEAD)"
  echo
  echo "| row (wall s, median, min-max) | distribution | wharf | distribution / wharf |"
  echo "| --- | ---: | ---: | ---: |"
  awk -F'\t' '{ split($1, k, "|"); v[k[1], k[2]] = v[k[1], k[2]] " " $2; rows[k[1]] = 1 }
    function med(s,   a, n, i, j, t) { n = split(s, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
        if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
      if (n == 0) return ""; return sprintf("%.1f (%.1f-%.1f)", (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2), a[1], a[n]) }
    END { for (r in rows) { d = med(v[r, "distribution"]); w = med(v[r, "wharf"]);
        ratio = (d != "" && w != "") ? sprintf("%.2f×", d / w) : ""; print "| " r " | " d " | " w " | " ratio " |" } }' \
    "$work/times.tsv" | sort
  echo
  echo "blobs left after each real run: $(sort -u "$work/left.tsv" | tr '\t\n' '= ')"
} > "$out"
cp "$work/times.tsv" "$root/bench/results/gc-$ts.tsv"
cat "$out"
echo "results: $out" >&2
