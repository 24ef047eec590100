#!/usr/bin/env bash
# Downloads Debian packages of any architecture and release from Debian's archive, without touching the build
# machine's apt configuration: a private apt directory whose sources (the release, its updates and its security
# updates, which is where fixes to glibc and OpenJDK arrive first) are signed-by Debian's archive keyring, so apt
# checks the signed indexes and every package's checksum as it does for the machine's own packages, and picks the
# newest version.
#
#   packaging/debian-fetch.sh ARCH SUITE OUT_DIR PACKAGE...
#
# DEBIAN_MIRROR replaces http://deb.debian.org/debian, DEBIAN_SECURITY_MIRROR http://deb.debian.org/debian-security.
set -euo pipefail
usage() { echo "usage: debian-fetch.sh ARCH SUITE OUT_DIR PACKAGE..." >&2; exit 2; }
[ $# -ge 4 ] || usage
arch=$1 suite=$2 out=$3
shift 3
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$keyring" ] || { echo "debian-fetch.sh: $keyring is missing (apt-get install debian-archive-keyring)" >&2; exit 2; }
apt=$(mktemp -d)
trap 'rm -rf "$apt"' EXIT
mkdir -p "$apt/etc/apt/apt.conf.d" "$apt/etc/apt/preferences.d" "$apt/etc/apt/sources.list.d" \
  "$apt/var/lib/apt/lists/partial" "$apt/var/cache/apt/archives/partial" "$apt/var/lib/dpkg"
: >"$apt/var/lib/dpkg/status"
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
{
  echo "deb [arch=$arch signed-by=$keyring] $mirror $suite main"
  echo "deb [arch=$arch signed-by=$keyring] $mirror $suite-updates main"
  echo "deb [arch=$arch signed-by=$keyring] ${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security} $suite-security main"
} >"$apt/etc/apt/sources.list"
opts=(-o "Dir=$apt" -o "Dir::State::status=$apt/var/lib/dpkg/status" -o "APT::Architecture=$arch"
  -o "APT::Architectures::=$arch" -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
apt-get "${opts[@]}" update </dev/null >"$apt/log" 2>&1 || { cat "$apt/log" >&2; exit 2; }
mkdir -p "$out"
(cd "$out" && apt-get "${opts[@]}" download "$@" </dev/null >"$apt/log" 2>&1) || { cat "$apt/log" >&2; exit 2; }
