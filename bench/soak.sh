#!/usr/bin/env bash
# Soak benchmark: starts Wharf (target/wharf.jar, filesystem storage in a temp dir, the launcher's JVM defaults),
# moves --gib GiB through it with --connections clients (20% pushes, 80% pulls, digests checked), then makes every
# kind of request once more; prints a markdown table with requests, bytes, 5xx, RSS and open descriptors before and
# after. Loopback only; stops by itself.
#
#   bench/soak.sh [--gib 100] [--connections 256] [--minutes 30]
set -euo pipefail
root=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../scripts/find-jdk.sh
source "$root/scripts/find-jdk.sh"
[ -f "$root/target/wharf.jar" ] || (cd "$root" && mvn -q -B -DskipTests package)
work=$(mktemp -d)
port=${SOAK_PORT:-15190}
cat >"$work/config.yml" <<YAML
version: 0.1
log:
  level: warn
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
"$root/wharf" serve "$work/config.yml" >"$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
# The launcher execs java: $pid is the server's JVM.
jvm=$(pgrep -P "$pid" java || echo "$pid")
echo "| soak | $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores |"
echo "| --- | --- |"
"$JAVA_HOME/bin/java" -Xmx512m "$root/bench/Soak.java" "http://127.0.0.1:$port" "$jvm" "$@"
