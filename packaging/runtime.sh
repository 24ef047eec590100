#!/usr/bin/env bash
# Builds the Java runtime Wharf ships with (the container image and the Debian package): the JDK cut down by jlink
# to the modules the shaded jar uses (jdeps --print-module-deps on target/wharf.jar, plus java.logging,
# java.management, java.xml and jdk.naming.dns, which libraries reach by reflection or service lookup).
#
#   packaging/runtime.sh OUT_DIR [--with-cds-archive]
#
# Without the JDK's default class-data-sharing archive unless asked: the image and the package start with Wharf's
# ahead-of-time cache (packaging/aot-train.sh), which holds the JDK's classes too, so the default archive would be
# 14 MiB never read. --with-cds-archive adds it for a build without that cache (start-up maps the core classes
# instead of parsing them); only the archive for compressed references, since the heap is far below 32 GiB.
#
# Needs JAVA_HOME pointing at a JDK 21+ (scripts/find-jdk.sh finds one). Deterministic for one JDK build.
set -euo pipefail
root=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:?usage: runtime.sh OUT_DIR [--with-cds-archive]}
cds=()
case ${2:-} in
  '') ;;
  --with-cds-archive) cds=(--generate-cds-archive) ;;
  *) echo "usage: runtime.sh OUT_DIR [--with-cds-archive]" >&2; exit 2 ;;
esac
# shellcheck source=../scripts/find-jdk.sh
source "$root/scripts/find-jdk.sh"
modules=java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http
modules=$modules,java.security.jgss,java.sql,java.xml,jdk.management,jdk.net,jdk.unsupported,jdk.naming.dns
rm -rf "$out"
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress=zip-6 "${cds[@]}" --output "$out"
rm -f "$out/lib/server/classes_nocoops.jsa"
