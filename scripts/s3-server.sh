# shellcheck shell=bash
# Sourced by scripts that need an S3 server: start_s3 DIR starts S3Proxy (a test dependency, io.wharf.testing.S3Server)
# in its own JVM keeping objects below DIR/s3, sets s3_pid, and loads S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY,
# S3_BUCKET (a bucket "wharf" it created) and S3_REGION. Needs $root (the checkout) and $JAVA_HOME, and the test
# classes compiled (target/test-classes).
start_s3() {
  local dir=$1
  (cd "$root" && mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$dir/test-classpath.txt" >/dev/null)
  "$JAVA_HOME/bin/java" -Xmx512m -cp "$root/target/test-classes:$(cat "$dir/test-classpath.txt")" \
    io.wharf.testing.S3Server "$dir/s3" "$dir/s3.env" >"$dir/s3.log" 2>&1 &
  s3_pid=$!
  for _ in $(seq 1 300); do
    [ -f "$dir/s3.env" ] && break
    kill -0 "$s3_pid" 2>/dev/null || { cat "$dir/s3.log" >&2; return 2; }
    sleep 0.1
  done
  [ -f "$dir/s3.env" ] || { echo "the S3 server did not start" >&2; cat "$dir/s3.log" >&2; return 2; }
  # shellcheck disable=SC1091
  source "$dir/s3.env"
}

# s3_storage ROOTDIR prints the storage.s3 section (indented for `storage:`) for the server start_s3 started.
s3_storage() {
  cat <<YAML
  s3:
    accesskey: $S3_ACCESS_KEY
    secretkey: $S3_SECRET_KEY
    region: $S3_REGION
    regionendpoint: $S3_ENDPOINT
    forcepathstyle: true
    bucket: $S3_BUCKET
    rootdirectory: $1
YAML
}
