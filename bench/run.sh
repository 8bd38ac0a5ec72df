#!/usr/bin/env bash
# Builds the inspector and the JMH benchmarks, then runs them with the GC profiler (ns/op and B/op).
# Extra arguments go to JMH (default: -wi 3 -w 2s -i 5 -r 2s -f 1), e.g.: bench/run.sh -wi 5 -i 10 -f 2
set -euo pipefail
cd "$(dirname "$0")/.."
# Reactor build only (never install: ~/.m2 is shared). The classpath is written by the same reactor run, so the
# inspector comes from this tree's inspector/target, not from whatever ~/.m2 holds.
mvn -B -q -Dstyle.color=never -pl inspector,bench -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt
CP="bench/target/classes:$(cat bench/target/classpath.txt)"
[ $# -gt 0 ] || set -- -wi 3 -w 2s -i 5 -r 2s -f 1
java -cp "$CP" org.openjdk.jmh.Main -prof gc "$@" \
  | tee bench/target/jmh.log | grep -E '^Benchmark|^ClientHelloBenchmark\.[A-Za-z0-9]+ |^ClientHelloBenchmark\.[A-Za-z0-9]+:gc\.alloc\.rate\.norm' || true
