#!/usr/bin/env bash
# Times the builder, as a packaged service with -Xmx1g, from change event to build event: cold (empty package cache,
# empty target repository), after one package changed upstream, and with nothing changed (twice: same digest);
# then prints the builder JVM's peak heap (GC log) and peak RSS.
# Usage: builder-service/bench/run.sh [SIZE] [RUNS]   (from anywhere; builds the module first)
#   no SIZE: the full fixture catalog (25 App Registry packages);
#   SIZE:    a generated catalog, as ScaleSpec parses it: moderate, target (300 packages, 10,000 bundles,
#            30,000 images), a package count, or packages,bundles,images,repositories.
#   RUNS:    how many times (1), each from nothing; the summary gives each case's median and min-max.
# BENCH_BUILDER_JVM_OPTS adds JVM options to the builder (for example -XX:StartFlightRecording=filename=/tmp/b.jfr).
set -euo pipefail
cd "$(dirname "$0")/../.."
export BENCH_SIZE="${1:-}"
export BENCH_RUNS="${2:-1}"
rc=0
./mvnw -B -o -q -pl builder-service -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test=BuildBenchmark -Dfailsafe.includes='**/BuildBenchmark.java' \
    || rc=$?
grep -h "BENCH" builder-service/target/failsafe-reports/*BuildBenchmark-output.txt || true
exit "$rc"
