#!/usr/bin/env bash
# Soak suite: drives real peers at scale through a running tlslens and prints its figures (bench/README.md,
# "Soak suite"). Starts an echo/sink backend (plain TCP and TLS) and tlslens (proxy/target/tlslens.jar,
# -XX:+UseSerialGC, generated configuration on free loopback ports), runs the four scenarios, prints one
# line per scenario and a table, and exits 1 when a check failed.
#   bench/soak.sh                 full soak (--scale 1: 100,000 relayed connections per mode, ...)
#   bench/soak.sh --scale 0.01    the bounded CI run (about 1-2 minutes)
#   bench/soak.sh --only 1,4      some scenarios only; --deadline S: a connection open longer is a hang (30)
# TLSLENS_JAR=PATH soaks another build of tlslens (then only the soak client is built here).
set -euo pipefail
cd "$(dirname "$0")/.."
jar="${TLSLENS_JAR:-proxy/target/tlslens.jar}"
main=bench/target/classes/io/tlslens/bench/soak/Soak.class
# Reuse what mvn verify (or an earlier run) built; build when it is missing or a source is newer.
stale() { [ ! -f "$1" ] || [ -n "$(find "${@:2}" -newer "$1" -type f -print -quit 2>/dev/null)" ]; }
if [ -n "${TLSLENS_JAR:-}" ]; then
  [ -f "$jar" ] || { echo "soak: TLSLENS_JAR=$jar: no such file" >&2; exit 2; }
  if stale "$main" bench/src/main bench/pom.xml; then
    mvn -B -q -Dstyle.color=never -pl bench -am package -DskipTests
  fi
elif stale "$jar" proxy/src/main inspector/src/main config/src/main proxy/pom.xml \
    || stale "$main" bench/src/main bench/pom.xml; then
  mvn -B -q -Dstyle.color=never -pl proxy,bench -am package -DskipTests
fi
# The soak client runs on the libraries inside tlslens.jar (JDK TLS, Bouncy Castle for its throw-away PKI).
exec java -cp "bench/target/classes:$jar" io.tlslens.bench.soak.Soak --jar "$jar" "$@"
