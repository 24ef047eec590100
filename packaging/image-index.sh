#!/usr/bin/env bash
# Joins the two images Jib writes (target/wharf-image.tar for linux/amd64, target/wharf-image-arm64.tar for
# linux/arm64) into one OCI image layout whose tag names a multi-platform image index, so that one name serves both
# architectures and each host pulls its own; with a destination, also pushes the index and both images there:
#
#   packaging/image-index.sh AMD64_TAR ARM64_TAR OUT_DIR TAG [docker://HOST/NAME:TAG [SKOPEO_COPY_OPTION...]]
#
# e.g. ... docker://registry.internal/wharf:0.1.0 --dest-tls-verify=false. The same push later:
#   skopeo copy --all oci:OUT_DIR:TAG docker://HOST/NAME:TAG
# Needs skopeo (Debian package skopeo).
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: image-index.sh AMD64_TAR ARM64_TAR OUT_DIR TAG [DESTINATION [OPTION...]]" >&2; exit 2; }
amd64=$1 arm64=$2 out=$3 tag=$4
shift 4
command -v skopeo >/dev/null || { echo "image-index.sh: skopeo is not installed" >&2; exit 2; }
rm -rf "$out"
skopeo copy -q "docker-archive:$amd64" "oci:$out:amd64" >/dev/null
skopeo copy -q "docker-archive:$arm64" "oci:$out:arm64" >/dev/null

# descriptor ARCH: the image manifest of ARCH as an index entry.
descriptor() {
  local raw digest size
  raw=$(skopeo inspect --raw "oci:$out:$1")
  digest=$(printf '%s' "$raw" | sha256sum | cut -d' ' -f1)
  size=$(printf '%s' "$raw" | wc -c)
  printf '{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%d,%s}' \
    "$digest" "$size" "\"platform\":{\"architecture\":\"$1\",\"os\":\"linux\"}"
}
index=$(printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[%s,%s]}' \
  "$(descriptor amd64)" "$(descriptor arm64)")
digest=$(printf '%s' "$index" | sha256sum | cut -d' ' -f1)
printf '%s' "$index" >"$out/blobs/sha256/$digest"
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"sha256:%s","size":%d,"annotations":{"org.opencontainers.image.ref.name":"%s"}}]}' \
  "$digest" "$(printf '%s' "$index" | wc -c)" "$tag" >"$out/index.json"
echo "sha256:$digest"
if [ $# -gt 0 ] && [ -n "$1" ]; then
  destination=$1
  shift
  skopeo copy -q --all "$@" "oci:$out:$tag" "$destination"
fi
