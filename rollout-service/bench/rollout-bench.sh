#!/usr/bin/env bash
# Benchmark: time from catalog-mirrored to rollout-completed for simulated clusters in waves, with the simulated
# OLM's READY delay at zero. Each run starts the packaged service (-Xmx1g) afresh and times its first rollout and
# then a warm one (first and warm alternate), with the service's peak heap (GC log) and peak RSS; it ends with the
# medians and spread. Results go to docs/benchmarks.md (rollout-service).
#
# Usage: rollout-service/bench/rollout-bench.sh [clusters=1000] [waves=1,100,899] [runs=3] [max-parallel=50]
#                                              [poll-interval=100ms]
# Needs what the integration tests need: PostgreSQL (AUTOPILOT_PG_*), Debian's docker-registry; Kafka is
# started in-process unless CATALOG_AUTOPILOT_KAFKA_BOOTSTRAP names one.
set -euo pipefail
cd "$(dirname "$0")/../.."

# Packages the service and resolves the test classpath within the reactor (sibling modules from their target/).
./mvnw -B -q -o -pl rollout-service -am package dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
# The bench JVM holds the simulated fleet (mock API servers, their stores and request logs).
java -Xmx3g \
  -Dcatalogautopilot.app="$PWD/rollout-service/target/quarkus-app/quarkus-run.jar" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "rollout-service/target/test-classes:$(cat rollout-service/target/bench.classpath)" \
  dev.catalogautopilot.rollout.RolloutBenchmark "$@"
