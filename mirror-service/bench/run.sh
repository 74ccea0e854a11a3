#!/usr/bin/env bash
# Mirror benchmark (ARCHITECTURE.md §5): W1 and W2 with our copy engine vs skopeo copy --all --preserve-digests.
# Usage: mirror-service/bench/run.sh [jobs] [blobsPerJob] [W1,W2] [socketThreshold]   (needs docker-registry and skopeo on PATH)
# Three alternating rounds per workload (A B, B A, A B); prints every round and per tool the median (min-max).
# Not part of the test suite; paste the printed tables into docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
# Built in the reactor (-am), so the classpath points at the libraries' fresh target/classes.
./mvnw -B -q -o test-compile dependency:build-classpath -pl mirror-service -am \
  -Dmdep.outputFile="$PWD/mirror-service/target/bench.classpath" -Dmdep.includeScope=test >/dev/null
cd mirror-service
exec java -Xmx3g -XX:+UseParallelGC ${BENCH_JAVA_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  dev.catalogautopilot.mirror.bench.MirrorBenchmark "$@"
