#!/usr/bin/env bash
# The scale benchmark: the whole pipeline through the packaged services over a generated catalog, each service
# with -Xmx1g. It times a cold run and a run after one package changed, stage by stage, and prints each service's
# peak heap and RSS, the largest event on any topic and the registries' requests per image. A failing, stalled or
# overrunning run is reported with its stage and reason; the benchmark never waits longer than its timeout.
#   deploy/bench/scale.sh                      moderate: 30 packages, 1,000 bundles, 3,000 images, 300 repositories
#   deploy/bench/scale.sh target               300 packages, 10,000 bundles, 30,000 images, 3,000 repositories
#   deploy/bench/scale.sh 30,1000,3000,300     packages,bundles,images,repositories; or a package count (60)
#   deploy/bench/scale.sh moderate --timeout 20m --stall 5m --clusters 4
# SKIP_BUILD=1 reuses the packaged services; MAVEN_ARGS passes options to Maven (e.g. -o). Output: .bench/scale/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SIZE="${1:-moderate}"
[ $# -gt 0 ] && shift
STATE="$ROOT/.bench/scale"
FIXTURES="${CATALOG_AUTOPILOT_FIXTURES:-$ROOT/../shared/fixtures}"

# The script's own bound, past the benchmark's (--timeout, default 30m): a wedged JVM is killed, not waited for.
TIMEOUT=30m
ARGS=("$@")
for ((i = 0; i < ${#ARGS[@]}; i++)); do
  if [ "${ARGS[$i]}" = "--timeout" ]; then TIMEOUT="${ARGS[$((i + 1))]}"; fi
done
case "$TIMEOUT" in
  *s) LIMIT=$(( ${TIMEOUT%s} + 300 )) ;;
  *m) LIMIT=$(( ${TIMEOUT%m} * 60 + 300 )) ;;
  *h) LIMIT=$(( ${TIMEOUT%h} * 3600 + 300 )) ;;
  *) echo "--timeout takes 90s, 30m or 1h, not $TIMEOUT" >&2; exit 2 ;;
esac

mkdir -p "$STATE"
rm -rf "$STATE/run"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  "$ROOT/deploy/bootstrap.sh"
  echo "==> packaging the services and the test infrastructure (./mvnw package -DskipTests)"
  if ! (cd "$ROOT" && ./mvnw -B -q package dependency:build-classpath -DskipTests \
      -pl watcher-service,builder-service,mirror-service,rollout-service,libs/testing -am \
      -Dmdep.outputFile=target/bench.classpath >"$STATE/package.log" 2>&1); then
    tail -40 "$STATE/package.log" >&2
    echo "RESULT: FAILED: packaging the services failed (whole log: $STATE/package.log)" >&2
    exit 1
  fi
fi
CP="$ROOT/libs/testing/target/classes:$(cat "$ROOT/libs/testing/target/bench.classpath")"
LOG="$STATE/scale-$(echo "$SIZE" | tr ',' '-').log"
echo "==> scale benchmark at '$SIZE' (log: $LOG)"
set +e
timeout -k 30s "$LIMIT" java -Xmx3g -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    "-Dcatalogautopilot.root=$ROOT" "-Dcatalogautopilot.fixtures=$FIXTURES" \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" \
    dev.catalogautopilot.testing.stack.ScaleBenchMain "$STATE/run" "$SIZE" "$@" 2>&1 | tee "$LOG"
CODE=${PIPESTATUS[0]}
set -e
if [ "$CODE" = 124 ] || [ "$CODE" = 137 ]; then
  echo "RESULT: FAILED: the benchmark did not end within ${LIMIT} s and was killed; service logs under $STATE/run/stack" \
    | tee -a "$LOG"
fi
exit "$CODE"
