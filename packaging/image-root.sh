#!/usr/bin/env bash
# Prepares the files of Wharf's container image: a jlinked Java runtime, the glibc libraries it links (from
# Debian's libc6 package, downloaded from Debian's archive by packaging/debian-fetch.sh; no base image is used),
# /etc/passwd and /etc/group with the non-root user wharf (65532), /etc/nsswitch.conf, registry:2's
# /etc/docker/registry/config.yml, the directories /var/lib/registry and /tmp, and the shaded jar with its
# ahead-of-time cache (packaging/aot-train.sh). Jib's own class-path layers are filtered out in pom.xml: the shaded
# jar is what runs. --arch arm64 prepares the same for linux/arm64, from Debian 13's arm64 packages and without the
# cache.
#
#   packaging/image-root.sh OUT_DIR [--arch arm64]
set -euo pipefail
root=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:?usage: image-root.sh OUT_DIR [--arch arm64]}
arch=amd64
if [ $# -gt 1 ]; then
  [ "$2" = --arch ] && [ "${3:-}" = arm64 ] || { echo "usage: image-root.sh OUT_DIR [--arch arm64]" >&2; exit 2; }
  arch=arm64
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rm -rf "$out"
if [ "$arch" = amd64 ]; then
  triplet=x86_64-linux-gnu loader=lib64/ld-linux-x86-64.so.2
else
  triplet=aarch64-linux-gnu loader=lib/ld-linux-aarch64.so.1
fi
mkdir -p "$out/usr/lib/wharf" "$out/etc/docker/registry" "$out/var/lib/registry" "$out/tmp" "$out/lib/$triplet" \
  "$out/$(dirname "$loader")"
# With the ahead-of-time cache (below) the runtime needs no default class-data-sharing archive of its own.
if [ "$arch" != amd64 ]; then
  "$root/packaging/runtime.sh" "$out/usr/lib/wharf/runtime" --arch "$arch"
elif [ "${WHARF_AOT:-true}" != false ]; then
  "$root/packaging/runtime.sh" "$out/usr/lib/wharf/runtime"
else
  "$root/packaging/runtime.sh" "$out/usr/lib/wharf/runtime" --with-cds-archive
fi

# glibc and the few libraries the runtime links: for amd64 from Debian 12 (the JDK's own libraries need nothing
# newer); for arm64 from Debian 13, the release its Java runtime was built for (it also links the C++ runtime and
# zlib, which Temurin's carries inside).
if [ "$arch" = amd64 ]; then
  "$root/packaging/debian-fetch.sh" "$arch" bookworm "$work" libc6
else
  "$root/packaging/debian-fetch.sh" "$arch" trixie "$work" libc6 libgcc-s1 libstdc++6 zlib1g
fi
for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$work/libs"; done
for lib in libc.so.6 libdl.so.2 libm.so.6 libpthread.so.0 librt.so.1 libresolv.so.2 libnss_dns.so.2 \
    libnss_files.so.2 libgcc_s.so.1 libstdc++.so.6 libz.so.1; do
  for dir in lib usr/lib; do
    if [ -e "$work/libs/$dir/$triplet/$lib" ]; then
      cp -L "$work/libs/$dir/$triplet/$lib" "$out/lib/$triplet/$lib"
      break
    fi
  done
done
for dir in "$work/libs" "$work/libs/usr"; do
  if [ -e "$dir/$loader" ]; then cp -L "$dir/$loader" "$out/$loader"; fi
done
[ -e "$out/$loader" ] || { echo "image-root.sh: no $loader in libc6" >&2; exit 2; }
# Every library the runtime's own ones (and those above) need must be there; X11 and sound are reached only by
# desktop code. readelf, not ldd, so that it works for another architecture too.
missing=$(for f in "$out"/usr/lib/wharf/runtime/bin/java "$out"/usr/lib/wharf/runtime/lib/*.so \
    "$out"/usr/lib/wharf/runtime/lib/server/libjvm.so "$out/lib/$triplet"/*; do
  case $f in *awt*|*jsound*|*fontmanager*|*splashscreen*|*lcms*|*mlib_image*|*javajpeg*) continue ;; esac
  readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
done | sort -u | while read -r lib; do
  [ -e "$out/lib/$triplet/$lib" ] || [ -e "$out/usr/lib/wharf/runtime/lib/$lib" ] || \
    [ -e "$out/usr/lib/wharf/runtime/lib/server/$lib" ] || [ "$lib" = "$(basename "$loader")" ] || echo "$lib"
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
# The cache is trained by running the server, so only for the architecture of this machine; the arm64 image starts
# without one (slower; docs/PACKAGING.md).
if [ "${WHARF_AOT:-true}" != false ] && [ "$arch" = amd64 ]; then
  "$root/packaging/aot-train.sh" "$out/usr/lib/wharf/runtime/bin/java" "$out/usr/lib/wharf/wharf.jar" \
    "$out/usr/lib/wharf/wharf.aot"
fi
