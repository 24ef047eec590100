#!/usr/bin/env bash
# Builds the Java runtime Wharf ships with (the container image and the Debian package): the JDK cut down by jlink
# to the modules the shaded jar uses (jdeps --print-module-deps on target/wharf.jar, plus java.logging,
# java.management, java.xml and jdk.naming.dns, which libraries reach by reflection or service lookup).
#
#   packaging/runtime.sh OUT_DIR [--with-cds-archive] [--arch arm64]
#
# Without the JDK's default class-data-sharing archive unless asked: the image and the package start with Wharf's
# ahead-of-time cache (packaging/aot-train.sh), which holds the JDK's classes too, so the default archive would be
# 14 MiB never read. --with-cds-archive adds it for a build without that cache (start-up maps the core classes
# instead of parsing them); only the archive for compressed references, since the heap is far below 32 GiB.
#
# --arch arm64 links a runtime for linux/arm64 on this machine: the modules (jmods) come from Debian's
# openjdk-<major>-jdk-headless for arm64 (Debian 13, packaging/debian-fetch.sh), linked by this JDK's jlink, which
# needs the same feature release (the major version of this JDK picks the package). Such a runtime cannot run here,
# so it gets no class-data-sharing archive.
#
# Needs JAVA_HOME pointing at a JDK 21+ (scripts/find-jdk.sh finds one). Deterministic for one JDK build.
set -euo pipefail
root=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
usage() { echo "usage: runtime.sh OUT_DIR [--with-cds-archive] [--arch arm64]" >&2; exit 2; }
out=${1:-}
[ -n "$out" ] || usage
shift
cds=()
arch=
while [ $# -gt 0 ]; do
  case $1 in
    --with-cds-archive) cds=(--generate-cds-archive) ;;
    --arch) [ "${2:-}" = arm64 ] || usage; arch=$2; shift ;;
    *) usage ;;
  esac
  shift
done
# shellcheck source=../scripts/find-jdk.sh
source "$root/scripts/find-jdk.sh"
modules=java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http
modules=$modules,java.security.jgss,java.sql,java.xml,jdk.management,jdk.net,jdk.unsupported,jdk.naming.dns
rm -rf "$out"
if [ -z "$arch" ]; then
  "$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --compress=zip-6 "${cds[@]}" --output "$out"
  rm -f "$out/lib/server/classes_nocoops.jsa"
  exit 0
fi
[ ${#cds[@]} -eq 0 ] || { echo "runtime.sh: no class-data-sharing archive for another architecture" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$root/packaging/debian-fetch.sh" "$arch" trixie "$work/debs" "openjdk-$WHARF_JDK_MAJOR-jdk-headless"
dpkg-deb --fsys-tarfile "$work"/debs/openjdk-*.deb | tar -x -C "$work" --wildcards '*/jmods/*'
jmods=$(echo "$work"/usr/lib/jvm/java-"$WHARF_JDK_MAJOR"-openjdk-"$arch"/jmods)
# Debian keeps native debug symbols in separate .debuginfo files (600 MiB for the JVM); this jlink's objcopy cannot
# strip the other architecture's libraries, so the files are left out instead.
"$JAVA_HOME/bin/jlink" --module-path "$jmods" --add-modules "$modules" --strip-java-debug-attributes \
  --exclude-files='**.debuginfo' --no-man-pages --no-header-files --compress=zip-6 --output "$out"
