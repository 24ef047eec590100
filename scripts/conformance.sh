#!/usr/bin/env bash
# Runs the official OCI distribution-spec conformance suite (../shared/conformance, read-only) against Wharf
# started here, in each set-up named on the command line (default: all), and fails when any spec fails.
#
#   scripts/conformance.sh [fs] [tls-htpasswd]
#
#   fs            filesystem storage, no auth, deletes enabled (as `wharf serve` with a config file)
#   tls-htpasswd  TLS with a self-signed certificate and htpasswd auth, as users put Distribution behind TLS
#   s3            storage.s3 on an S3 server started here (S3Proxy from the test class path; needs the tests
#                 compiled, e.g. by ./run-tests, and Maven to print the test class path offline)
#
# A new set-up is one more case in setup_config below. Needs: a built target/wharf.jar (mvn package or
# ./run-tests), a JDK 21+ (scripts/find-jdk.sh), openssl and htpasswd (apache2-utils) for tls-htpasswd.
set -euo pipefail

root=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
suite=${OCI_CONFORMANCE_DIR:-$root/../shared/conformance}
# shellcheck source=find-jdk.sh
source "$root/scripts/find-jdk.sh"
jar=$root/target/wharf.jar
[ -f "$jar" ] || { echo "conformance.sh: $jar is missing; build it first (mvn -B -DskipTests package)" >&2; exit 2; }
[ -x "$suite/run.sh" ] || { echo "conformance.sh: no conformance suite at $suite" >&2; exit 2; }

setups=("$@")
[ ${#setups[@]} -gt 0 ] || setups=(fs tls-htpasswd s3)

work=$(mktemp -d)
server_pid=
s3_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "$s3_pid" ]; then kill "$s3_pid" 2>/dev/null || true; wait "$s3_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}

# shellcheck source=s3-server.sh
source "$root/scripts/s3-server.sh"
trap cleanup EXIT

free_port() {
  local p
  for p in $(seq 15500 15599); do
    if ! (exec 3<>/dev/tcp/127.0.0.1/"$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  echo "conformance.sh: no free port in 15500-15599" >&2
  return 1
}

# Writes the set-up's config.yml into $dir; prints the registry URL, and sets user/password when auth is on.
setup_config() {
  local name=$1 dir=$2 port=$3
  user= password=
  case $name in
    fs)
      cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YAML
      url=http://127.0.0.1:$port ;;
    tls-htpasswd)
      openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
      user=conformance
      password=$(openssl rand -hex 16)
      htpasswd -nbB "$user" "$password" | head -n 1 >"$dir/htpasswd"
      cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
auth:
  htpasswd:
    realm: basic-realm
    path: $dir/htpasswd
http:
  addr: 127.0.0.1:$port
  tls:
    certificate: $dir/cert.pem
    key: $dir/key.pem
YAML
      url=https://127.0.0.1:$port ;;
    s3)
      start_s3 "$dir"
      cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
$(s3_storage /registry)
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YAML
      url=http://127.0.0.1:$port ;;
    *)
      echo "conformance.sh: unknown set-up $name (known: fs, tls-htpasswd, s3)" >&2
      return 2 ;;
  esac
}

"$suite/setup.sh" >/dev/null

failed=0
for name in "${setups[@]}"; do
  dir=$work/$name
  mkdir -p "$dir"
  port=$(free_port)
  setup_config "$name" "$dir" "$port"
  "$JAVA_HOME/bin/java" -Xmx512m -jar "$jar" serve "$dir/config.yml" >"$dir/server.log" 2>&1 &
  server_pid=$!
  ready=0
  for _ in $(seq 1 300); do
    if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
    code=$(curl -sk -o /dev/null -w '%{http_code}' "$url/v2/" || true)
    if [ "$code" = 200 ] || [ "$code" = 401 ]; then ready=1; break; fi
    sleep 0.1
  done
  if [ "$ready" != 1 ]; then
    echo "conformance.sh: Wharf did not start for $name:" >&2
    cat "$dir/server.log" >&2
    exit 2
  fi
  echo "== conformance: $name ($url)"
  set +e
  OCI_AUTOMATIC_CROSSMOUNT=0 OCI_USERNAME=$user OCI_PASSWORD=$password OCI_REPORT_DIR=$dir/report \
    "$suite/run.sh" "$url" | tail -n 1
  status=${PIPESTATUS[0]}
  set -e
  if [ "$status" != 0 ]; then
    failed=1
    echo "conformance.sh: $name failed (status $status); the suite's output:" >&2
    tail -n 60 "$dir/report/output.log" >&2 || true
    tail -n 30 "$dir/server.log" >&2 || true
  fi
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=
  if [ -n "$s3_pid" ]; then kill "$s3_pid"; wait "$s3_pid" 2>/dev/null || true; s3_pid=; fi
done
exit "$failed"
