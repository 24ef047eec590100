#!/usr/bin/env bash
# Builds target/wharf_<version>_amd64.deb without root: the shaded jar, a jlinked Java runtime (Debian 12 has no
# Java 21 package to depend on), /usr/bin/wharf, the systemd unit, /etc/wharf/config.yml (a conffile), and the
# maintainer scripts that create the wharf user and /var/lib/wharf. File times are fixed to the last commit's
# time (SOURCE_DATE_EPOCH), so two builds of one commit with one JDK give the same package.
#
#   packaging/deb.sh VERSION     (after `mvn package`, which leaves target/wharf.jar)
set -euo pipefail
root=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=${1:?usage: deb.sh VERSION}
target=$root/target
pkg=$target/deb-root
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 0)}
[ -f "$target/wharf.jar" ] || { echo "deb.sh: $target/wharf.jar is missing; run mvn package first" >&2; exit 2; }

rm -rf "$pkg"
install -d "$pkg/DEBIAN" "$pkg/usr/lib/wharf" "$pkg/usr/bin" "$pkg/lib/systemd/system" "$pkg/etc/wharf" \
  "$pkg/usr/share/doc/wharf"
"$root/packaging/runtime.sh" "$pkg/usr/lib/wharf/runtime"
install -m 0644 "$target/wharf.jar" "$pkg/usr/lib/wharf/wharf.jar"
install -m 0755 "$root/packaging/deb/wharf" "$pkg/usr/bin/wharf"
install -m 0644 "$root/packaging/deb/wharf.service" "$pkg/lib/systemd/system/wharf.service"
install -m 0640 "$root/packaging/deb/config.yml" "$pkg/etc/wharf/config.yml"
install -m 0644 "$root/README.md" "$pkg/usr/share/doc/wharf/README.md"
for doc in "$root"/docs/*.md; do install -m 0644 "$doc" "$pkg/usr/share/doc/wharf/"; done
install -m 0755 "$root/packaging/deb/postinst" "$root/packaging/deb/prerm" "$root/packaging/deb/postrm" "$pkg/DEBIAN/"
echo /etc/wharf/config.yml >"$pkg/DEBIAN/conffiles"
size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
cat >"$pkg/DEBIAN/control" <<CONTROL
Package: wharf
Version: $version
Architecture: amd64
Maintainer: Wharf developers <wharf@localhost>
Installed-Size: $size
Depends: adduser, libc6, zlib1g
Section: net
Priority: optional
Homepage: https://github.com/wharf-registry/wharf
Description: container image registry, a drop-in replacement for CNCF Distribution
 Wharf serves the OCI Distribution API to docker, podman, containerd and skopeo. It reads Distribution's
 config.yml and storage layout, and adds online garbage collection, access control with a token server,
 a pull-through cache of several registries, durable webhooks and Prometheus metrics.
 This package ships its own Java runtime.
CONTROL
find "$pkg" -exec touch -h -d "@$epoch" {} +
# The ahead-of-time cache checks the jar's size and time, which are final now.
"$root/packaging/aot-train.sh" "$pkg/usr/lib/wharf/runtime/bin/java" "$pkg/usr/lib/wharf/wharf.jar" \
  "$pkg/usr/lib/wharf/wharf.aot"
touch -h -d "@$epoch" "$pkg/usr/lib/wharf/wharf.aot" "$pkg/usr/lib/wharf"
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$target/wharf_${version}_amd64.deb" >/dev/null
echo "$target/wharf_${version}_amd64.deb"
