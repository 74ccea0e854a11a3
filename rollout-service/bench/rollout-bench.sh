#!/usr/bin/env bash
# Benchmark: time from catalog-mirrored to rollout-completed for simulated clusters in three waves, with the
# simulated OLM's READY delay at zero, and the rollout-service's time per cluster. Results go to
# docs/benchmarks.md (rollout-service).
#
# Usage: rollout-service/bench/rollout-bench.sh [clusters=50] [runs=3] [poll-interval=100ms]
# Needs what the integration tests need: PostgreSQL (AUTOPILOT_PG_*), Debian's docker-registry; Kafka is
# started in-process unless CATALOG_AUTOPILOT_KAFKA_BOOTSTRAP names one.
set -euo pipefail
cd "$(dirname "$0")/../.."

./mvnw -B -q -pl rollout-service -am install -DskipTests
./mvnw -B -q -pl rollout-service dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench.classpath
java -Xmx1g \
  -Dcatalogautopilot.app="$PWD/rollout-service/target/quarkus-app/quarkus-run.jar" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "rollout-service/target/test-classes:$(cat rollout-service/target/bench.classpath)" \
  dev.catalogautopilot.rollout.RolloutBenchmark "$@"
