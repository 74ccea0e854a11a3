#!/usr/bin/env bash
# The main job, locally: Kafka (KRaft), PostgreSQL, upstream and mirror registries, the fixture App Registry with
# the upstream simulator's images, simulated clusters in two waves and the four services as separate processes.
# It runs one full pipeline (detect, build, mirror, roll out), then publishes an upstream change and shows the
# second run roll through, and ends with a summary of the fleet.
#   deploy/local/run.sh                 run, then tear everything down
#   deploy/local/run.sh --keep          leave the stack running afterwards, to explore the REST APIs
#   deploy/local/run.sh --down          stop a stack left running
#   deploy/local/run.sh --clusters 8    more simulated clusters (default 6: 1 canary + 5)
#   deploy/local/run.sh --packages 60   a generated catalog of 60 packages in the target's shape (2,000 bundles,
#                                       6,000 images) instead of the fixture catalog
#   deploy/local/run.sh --scale moderate  a generated catalog: moderate (1,000 bundles, 3,000 images), target
#                                       (10,000 bundles, 30,000 images) or packages,bundles,images,repositories
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="$ROOT/.local"
PIDFILE="$STATE/stack.pid"
FIXTURES="${CATALOG_AUTOPILOT_FIXTURES:-$ROOT/../shared/fixtures}"

stop_stack() {
  if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    pid="$(cat "$PIDFILE")"
    kill "$pid"
    for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    echo "stack stopped"
  fi
  rm -f "$PIDFILE"
}

KEEP=0
ARGS=()
# The stack's own JVM holds the generated catalog's archives and every event: more room at scale.
HEAP=1g
while [ $# -gt 0 ]; do
  case "$1" in
    --down) stop_stack; exit 0 ;;
    --keep) KEEP=1; ARGS+=(--keep) ;;
    --clusters) ARGS+=(--clusters "$2"); shift ;;
    --packages) ARGS+=(--packages "$2"); HEAP=3g; shift ;;
    --scale) ARGS+=(--scale "$2"); HEAP=3g; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

stop_stack
rm -rf "$STATE/run"
mkdir -p "$STATE/logs"

"$ROOT/deploy/bootstrap.sh"
echo "==> building and packaging the services (./mvnw install -DskipTests)"
(cd "$ROOT" && ./mvnw -B -q install -DskipTests)
(cd "$ROOT" && ./mvnw -B -q -pl libs/testing dependency:build-classpath -Dmdep.outputFile="$STATE/testing.classpath" >/dev/null)
CP="$ROOT/libs/testing/target/classes:$(cat "$STATE/testing.classpath")"
RUN=(java "-Xmx$HEAP" -Djava.util.logging.manager=org.jboss.logmanager.LogManager "-Dcatalogautopilot.root=$ROOT" "-Dcatalogautopilot.fixtures=$FIXTURES"
     -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP"
     dev.catalogautopilot.testing.stack.PipelineStackMain "$STATE/run" "${ARGS[@]}")

if [ "$KEEP" = 1 ]; then
  nohup "${RUN[@]}" >"$STATE/logs/stack.log" 2>&1 &
  echo $! >"$PIDFILE"
  shown=0
  while kill -0 "$(cat "$PIDFILE")" 2>/dev/null; do
    ready=0
    grep -q "stack left running" "$STATE/logs/stack.log" && ready=1
    total=$(wc -l <"$STATE/logs/stack.log")
    if [ "$total" -gt "$shown" ]; then sed -n "$((shown + 1)),${total}p" "$STATE/logs/stack.log"; shown=$total; fi
    if [ "$ready" = 1 ]; then exit 0; fi
    sleep 1
  done
  sed -n "$((shown + 1)),\$p" "$STATE/logs/stack.log"
  echo "the stack stopped; see $STATE/logs/stack.log" >&2
  exit 1
else
  "${RUN[@]}" 2>&1 | tee "$STATE/logs/stack.log"
  exit "${PIPESTATUS[0]}"
fi
