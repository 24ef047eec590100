#!/usr/bin/env bash
# Prepares the files of Wharf's container image: a jlinked Java runtime, the glibc libraries it links (from
# Debian's libc6 package, downloaded from Debian's archive with apt-get download; no base image is used),
# /etc/passwd and /etc/group with the non-root user wharf (65532), /etc/nsswitch.conf, registry:2's
# /etc/docker/registry/config.yml, the directories /var/lib/registry and /tmp, and the shaded jar with its
# ahead-of-time cache (packaging/aot-train.sh). Jib's own class-path layers are filtered out in pom.xml: the shaded
# jar is what runs.
#
#   packaging/image-root.sh OUT_DIR
set -euo pipefail
root=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:?usage: image-root.sh OUT_DIR}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rm -rf "$out"
mkdir -p "$out/usr/lib/wharf" "$out/etc/docker/registry" "$out/var/lib/registry" "$out/tmp" \
  "$out/lib/x86_64-linux-gnu" "$out/lib64"
# With the ahead-of-time cache (below) the runtime needs no default class-data-sharing archive of its own.
if [ "${WHARF_AOT:-true}" != false ]; then
  "$root/packaging/runtime.sh" "$out/usr/lib/wharf/runtime"
else
  "$root/packaging/runtime.sh" "$out/usr/lib/wharf/runtime" --with-cds-archive
fi

# glibc, as the runtime links it: from the Debian archive the build machine's apt knows.
(cd "$work" && apt-get download libc6 >/dev/null 2>&1) || {
  echo "image-root.sh: apt-get download libc6 failed (run apt-get update?)" >&2
  exit 2
}
dpkg-deb -x "$work"/libc6_*.deb "$work/libc6"
for lib in libc.so.6 libdl.so.2 libm.so.6 libpthread.so.0 librt.so.1 libresolv.so.2 libnss_dns.so.2 \
    libnss_files.so.2; do
  if [ -e "$work/libc6/lib/x86_64-linux-gnu/$lib" ]; then
    cp -L "$work/libc6/lib/x86_64-linux-gnu/$lib" "$out/lib/x86_64-linux-gnu/$lib"
  fi
done
cp -L "$work/libc6/lib64/ld-linux-x86-64.so.2" "$out/lib64/ld-linux-x86-64.so.2"
# Every library the runtime's own ones need must be there; X11 and sound are reached only by desktop code.
missing=$(for f in "$out"/usr/lib/wharf/runtime/bin/java "$out"/usr/lib/wharf/runtime/lib/*.so \
    "$out"/usr/lib/wharf/runtime/lib/server/libjvm.so; do
  case $f in *awt*|*jsound*|*fontmanager*|*splashscreen*|*lcms*|*mlib_image*|*javajpeg*) continue ;; esac
  ldd "$f" | awk '$1 ~ /^lib/ {print $1}'
done | sort -u | while read -r lib; do
  [ -e "$out/lib/x86_64-linux-gnu/$lib" ] || [ -e "$out/usr/lib/wharf/runtime/lib/$lib" ] || \
    [ -e "$out/usr/lib/wharf/runtime/lib/server/$lib" ] || echo "$lib"
done)
[ -z "$missing" ] || { echo "image-root.sh: libraries missing from the image: $missing" >&2; exit 2; }

cat >"$out/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
wharf:x:65532:65532:wharf:/var/lib/registry:/sbin/nologin
PASSWD
cat >"$out/etc/group" <<'GROUP'
root:x:0:
wharf:x:65532:
GROUP
printf 'hosts: files dns\n' >"$out/etc/nsswitch.conf"
cp "$root/packaging/image/config.yml" "$out/etc/docker/registry/config.yml"

# The application and its ahead-of-time cache. Jib gives files in the image the time 1970-01-01T00:00:01Z; the
# cache checks the jar's time, so the jar gets that time before training.
# The cache is not bit-for-bit reproducible (a training run is not), so WHARF_AOT=false leaves it out for a
# reproducible image; the JVM then starts without it.
install -m 0644 "$root/target/wharf.jar" "$out/usr/lib/wharf/wharf.jar"
touch -d @1 "$out/usr/lib/wharf/wharf.jar"
if [ "${WHARF_AOT:-true}" != false ]; then
  "$root/packaging/aot-train.sh" "$out/usr/lib/wharf/runtime/bin/java" "$out/usr/lib/wharf/wharf.jar" \
    "$out/usr/lib/wharf/wharf.aot"
fi
