#!/usr/bin/env bash
# Times the watcher's App Registry poll, as a packaged service with -Xmx1g, over a generated catalog served by the
# fixture App Registry on loopback: the first poll, polls with nothing changed, and a poll after one package changed.
# Usage: watcher-service/bench/run.sh [SIZE]   (from anywhere; builds the module first)
#   no SIZE: 300 packages in the target's shape (10,000 bundles); SIZE as ScaleSpec parses it.
#   BENCH_WATCHER_PROPERTIES=key=value,...  extra watcher properties, e.g. watcher.app-registry.poll-concurrency=1
set -euo pipefail
cd "$(dirname "$0")/../.."
export BENCH_SIZE="${1:-}"
rc=0
./mvnw -B -o -q -pl watcher-service -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test=PollBenchmark -Dfailsafe.includes='**/PollBenchmark.java' \
    || rc=$?
grep -h "BENCH" watcher-service/target/failsafe-reports/*PollBenchmark-output.txt || true
exit "$rc"
