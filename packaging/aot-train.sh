#!/usr/bin/env bash
# Writes the JDK's ahead-of-time cache for Wharf (JDK 24+: classes loaded and linked, as a training run left them),
# so the server starts in about a third of the time and with a smaller footprint. The training run serves a push and
# a pull of a small image on loopback, then stops on SIGTERM, which writes the cache. The cache stays valid when the
# runtime and jar move together to other paths (the image, the package), as long as the jar's size and time are
# unchanged, so set the jar's time before calling this.
#
#   packaging/aot-train.sh JAVA JAR CACHE
set -euo pipefail
java=${1:?usage: aot-train.sh JAVA JAR CACHE}
jar=${2:?}
cache=${3:?}
work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
port=
for p in $(seq 15600 15699); do
  if ! (exec 3<>/dev/tcp/127.0.0.1/"$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { echo "aot-train.sh: no free port" >&2; exit 2; }
cat >"$work/config.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $work/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YAML
rm -f "$cache"
# No method profiles in the cache (JDK 25 records them by default): replaying them makes the JIT compile at start,
# on the cores the start needs, and the first answer came about 70 ms later with them (docs/PACKAGING.md,
# "Start-up"). The switch is a diagnostic one, so it is passed only where this JDK knows it.
profiles=()
if "$java" -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining -version >/dev/null 2>&1; then
  profiles=(-XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining)
fi
"$java" "${profiles[@]}" -XX:AOTCacheOutput="$cache" -XX:+UseSerialGC -Xmx256m -jar "$jar" serve "$work/config.yml" \
  >"$work/log" 2>&1 &
pid=$!
base=http://127.0.0.1:$port
for _ in $(seq 1 600); do
  curl -s -o /dev/null "$base/v2/" && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/log" >&2; exit 2; }
  sleep 0.05
done
# A push (monolithic and chunked blobs, a manifest) and a pull, as clients do.
printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}' >"$work/config.json"
printf 'training layer' >"$work/layer"
digest() { echo "sha256:$(sha256sum "$1" | cut -d' ' -f1)"; }
c=$(digest "$work/config.json")
l=$(digest "$work/layer")
curl -s -o /dev/null -X POST --data-binary @"$work/config.json" "$base/v2/train/app/blobs/uploads/?digest=$c"
loc=$(curl -s -D - -o /dev/null -X POST "$base/v2/train/app/blobs/uploads/" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
case $loc in http*) ;; *) loc=$base$loc ;; esac
loc=$(curl -s -D - -o /dev/null -X PATCH -H 'Content-Type: application/octet-stream' --data-binary @"$work/layer" \
  "$loc" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
case $loc in http*) ;; *) loc=$base$loc ;; esac
case $loc in *\?*) sep='&' ;; *) sep='?' ;; esac
curl -s -o /dev/null -X PUT "$loc${sep}digest=$l"
manifest='{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":'$(stat -c%s "$work/config.json")',"digest":"'$c'"},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","size":'$(stat -c%s "$work/layer")',"digest":"'$l'"}]}'
curl -s -o /dev/null -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary "$manifest" \
  "$base/v2/train/app/manifests/v1"
for _ in 1 2 3; do
  curl -s -o /dev/null -H 'Accept: application/vnd.oci.image.manifest.v1+json' "$base/v2/train/app/manifests/v1"
  curl -s -o /dev/null -I "$base/v2/train/app/manifests/v1"
  curl -s -o /dev/null "$base/v2/train/app/blobs/$l"
  curl -s -o /dev/null "$base/v2/train/app/tags/list"
  curl -s -o /dev/null "$base/v2/_catalog"
  curl -s -o /dev/null "$base/v2/train/app/manifests/missing"
done
kill -TERM "$pid"
wait "$pid" || true
pid=
[ -s "$cache" ] || { echo "aot-train.sh: no cache written" >&2; cat "$work/log" >&2; exit 2; }
