#!/usr/bin/env bash
# Times the builder on the full fixture catalog (25 App Registry packages): fetch, convert, render, build and push
# with jib, cold (empty package cache, empty target repository) and after one package changed upstream.
# Usage: builder-service/bench/run.sh   (from the repository root; builds the module first)
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl builder-service -am install -DskipTests
./mvnw -B -q -pl builder-service verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=BuildBenchmark -Dfailsafe.includes='**/BuildBenchmark.java'
grep -h "BENCH" builder-service/target/failsafe-reports/*BuildBenchmark-output.txt
