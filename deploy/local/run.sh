#!/usr/bin/env bash
# The main job, locally: brings up Kafka (KRaft), PostgreSQL, a registry, the fixture App Registry and the
# watcher, then shows the watcher detecting the first catalog and an upstream change.
#   deploy/local/run.sh          run, print what was detected, tear everything down
#   deploy/local/run.sh --keep   leave the stack running afterwards (explore http://127.0.0.1:8081/catalogs)
#   deploy/local/run.sh --down   stop a stack left running
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="$ROOT/.local"
LOGS="$STATE/logs"
PIDS="$STATE/pids"
KAFKA_PORT="${AUTOPILOT_KAFKA_PORT:-19092}"
CNR_PORT="${AUTOPILOT_CNR_PORT:-18500}"
WATCHER_PORT="${AUTOPILOT_WATCHER_PORT:-8081}"
FIXTURES="${CATALOG_AUTOPILOT_FIXTURES:-$ROOT/../shared/fixtures}"
PG_HOST="${AUTOPILOT_PG_HOST:-127.0.0.1}" PG_PORT="${AUTOPILOT_PG_PORT:-5432}"
PG_USER="${AUTOPILOT_PG_USER:-postgres}" PG_PASSWORD="${AUTOPILOT_PG_PASSWORD:-postgres}"
CATALOG=community-operators

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

stop_all() {
  [ -d "$PIDS" ] || return 0
  for pidfile in "$PIDS"/*.pid; do
    [ -e "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
  say "stack stopped"
}

if [ "${1:-}" = "--down" ]; then stop_all; exit 0; fi
KEEP=0
[ "${1:-}" = "--keep" ] && KEEP=1

start() { # name, command...
  local name="$1"; shift
  "$@" >"$LOGS/$name.log" 2>&1 &
  echo $! >"$PIDS/$name.pid"
}

wait_for() { # description, seconds, command...
  local what="$1" seconds="$2"; shift 2
  for _ in $(seq 1 $((seconds * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "timed out waiting for $what; logs in $LOGS" >&2
  exit 1
}

stop_all
trap '[ "$KEEP" = 1 ] || stop_all' EXIT
rm -rf "$STATE/kafka" "$STATE/watcher"
mkdir -p "$LOGS" "$PIDS" "$STATE/watcher/config"

"$ROOT/deploy/bootstrap.sh"
say "building (./mvnw install -DskipTests)"
(cd "$ROOT" && ./mvnw -B -q install -DskipTests)
(cd "$ROOT" && ./mvnw -B -q -pl libs/testing dependency:build-classpath -Dmdep.outputFile="$STATE/testing.classpath" >/dev/null)
TESTING_CP="$ROOT/libs/testing/target/classes:$(cat "$STATE/testing.classpath")"

say "starting Kafka (KRaft) on 127.0.0.1:$KAFKA_PORT"
start kafka java -cp "$ROOT/libs/kafka-broker/target/classes" dev.catalogautopilot.kafka.KafkaBrokerMain "$STATE/kafka" "$KAFKA_PORT"
wait_for "Kafka" 90 grep -q "kafka ready" "$LOGS/kafka.log"

say "preparing PostgreSQL database 'watcher' on $PG_HOST:$PG_PORT"
export PGPASSWORD="$PG_PASSWORD"
psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -qc "DROP DATABASE IF EXISTS watcher WITH (FORCE)" postgres
psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -qc "CREATE DATABASE watcher" postgres

say "starting the fixture App Registry on 127.0.0.1:$CNR_PORT (packages from $FIXTURES/operators)"
start app-registry java -cp "$TESTING_CP" dev.catalogautopilot.testing.appregistry.FixtureAppRegistryMain \
  --port "$CNR_PORT" --dir "$FIXTURES/operators"
wait_for "the App Registry" 30 curl -sf "http://127.0.0.1:$CNR_PORT/cnr/api/v1/packages?namespace=community-operators"

say "starting watcher-service on 127.0.0.1:$WATCHER_PORT"
cat >"$STATE/watcher/config/application.properties" <<PROPS
quarkus.http.port=$WATCHER_PORT
kafka.bootstrap.servers=127.0.0.1:$KAFKA_PORT
quarkus.datasource.reactive.url=postgresql://$PG_HOST:$PG_PORT/watcher
quarkus.datasource.jdbc.url=jdbc:postgresql://$PG_HOST:$PG_PORT/watcher
watcher.catalogs.$CATALOG.type=app-registry
watcher.catalogs.$CATALOG.url=http://127.0.0.1:$CNR_PORT/cnr
watcher.catalogs.$CATALOG.namespace=community-operators
watcher.catalogs.$CATALOG.poll-interval=3s
PROPS
(cd "$STATE/watcher" && start watcher java -jar "$ROOT/watcher-service/target/quarkus-app/quarkus-run.jar")
wait_for "watcher-service" 90 curl -sf "http://127.0.0.1:$WATCHER_PORT/q/health/ready"

tail_events() { java -cp "$TESTING_CP" dev.catalogautopilot.testing.kafka.EventTailMain "127.0.0.1:$KAFKA_PORT" "$1" 120 catalog.changes 2>>"$LOGS/event-tail.log"; }

say "first poll: the whole catalog is new"
tail_events 1
say "publishing a new release of 'etcd' upstream"
curl -sf -X POST "http://127.0.0.1:$CNR_PORT/admin/publish/etcd" && echo
say "the watcher detects exactly that change"
tail_events 2 | tail -n 1

say "status"
curl -sf "http://127.0.0.1:$WATCHER_PORT/catalogs" && echo
echo "logs: $LOGS/{kafka,app-registry,watcher}.log"
if [ "$KEEP" = 1 ]; then
  say "stack left running: watcher http://127.0.0.1:$WATCHER_PORT/catalogs, App Registry http://127.0.0.1:$CNR_PORT/cnr, Kafka 127.0.0.1:$KAFKA_PORT"
  say "stop it with: deploy/local/run.sh --down"
fi
