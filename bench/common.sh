# shellcheck shell=bash
# Sourced by the benchmark scripts after $root is set: a work directory removed at exit together with every
# process in $pids, the timestamp and results file of the run, logging with the load average, and the load
# generator built into the work directory (call bench_build first, then bench ARGS...).

# bench_start NAME: sets work, pids, ts, tsv and started.
bench_start() {
  work=$(mktemp -d "/tmp/wharf-$1.XXXXXX")
  pids=()
  trap bench_cleanup EXIT
  ts=$(date -u +%Y%m%dT%H%M%SZ)
  tsv=$work/results.tsv
  started=$(date +%s)
}

bench_cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  # A failed run keeps the servers' logs (a 500 in a row is a finding, and its stack trace is in them).
  if [ "$status" != 0 ]; then
    local keep f
    keep=${TMPDIR:-/tmp}/wharf-bench-failed-$ts
    mkdir -p "$keep"
    find "$work" -maxdepth 3 -type f \( -name log -o -name '*.log' \) -print 2>/dev/null | while read -r f; do
      cp "$f" "$keep/$(printf '%s' "${f#"$work"/}" | tr / _)"
    done
    echo "the servers' logs are kept in $keep" >&2
  fi
  rm -rf "$work"
}

# Each row boundary with the load average, on stderr and in $work/load.log (for the report's load range).
log() {
  echo "== $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg) | $*" >&2
  echo "$(date +%T) $(cut -d' ' -f1 /proc/loadavg) $*" >> "$work/load.log"
}

# bench_ports_free SCRIPT PORT...: fails when something answers on one of the ports.
bench_ports_free() {
  local script=$1 port
  shift
  for port in "$@"; do
    if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
      echo "$script: port $port is in use; set BENCH_PORT_BASE" >&2; exit 1
    fi
  done
}

# bench_pause_open: makes the FIFO bench_pause waits on; once per run, before any subshell polls.
bench_pause_open() {
  mkfifo "$work/pause"
  exec {bench_pause_fd}<>"$work/pause"
}

# bench_pause: waits about 2 ms without forking (sleep would): a read with a timeout on the FIFO nobody writes.
bench_pause() {
  read -r -t 0.002 -u "$bench_pause_fd" || true
}

# bench_answers_200 PORT: whether GET /v2/ on 127.0.0.1:PORT answers 200 now, with bash alone. A process forked per
# poll (curl, sleep) costs milliseconds of CPU on this VM, taken from the server whose start is being timed (Wharf
# measured 46-138 ms slower when polled with curl in two runs on 2026-12-06, Distribution 20-30 ms).
bench_answers_200() {
  local conn line=
  { exec {conn}<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&"$conn"
  IFS= read -r -t 5 -u "$conn" line || true
  exec {conn}<&-
  [[ $line == "HTTP/1."?" 200"* ]]
}

# Builds Wharf (through its launcher) and compiles the load generator.
bench_build() {
  (cd "$root" && ./wharf --version) >&2
  mkdir -p "$work/classes"
  "$JAVA_HOME/bin/javac" -d "$work/classes" "$root/bench/RegistryBench.java"
}

bench() { "$JAVA_HOME/bin/java" -Xmx1g -cp "$work/classes" RegistryBench "$@"; }

# bench_random_file PATH BYTES: random bytes kept between runs, readable by every server.
bench_random_file() {
  mkdir -p "$(dirname "$1")"
  chmod 755 "$(dirname "$1")"
  if [ ! -f "$1" ] || [ "$(stat -c %s "$1")" != "$2" ]; then
    log "generating $1 ($2 random bytes)"
    head -c "$2" /dev/urandom > "$1.tmp" && mv "$1.tmp" "$1"
  fi
  chmod 644 "$1"
}
