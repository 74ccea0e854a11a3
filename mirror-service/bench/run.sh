#!/usr/bin/env bash
# Mirror benchmark (ARCHITECTURE.md §5): W1 and W2 with our copy engine vs skopeo copy --all --preserve-digests.
# Usage: mirror-service/bench/run.sh [jobs] [blobsPerJob] [W1,W2]   (needs docker-registry and skopeo on PATH)
# Not part of the test suite; paste the printed table into docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
../mvnw -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test >/dev/null
exec java -Xmx3g -XX:+UseParallelGC ${BENCH_JAVA_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  dev.catalogautopilot.mirror.bench.MirrorBenchmark "$@"
