#!/usr/bin/env bash
# The chaos run (not in the suite): N pipeline runs at fixture size through the packaged services while, at seeded
# random moments, PostgreSQL restarts, the Kafka broker is killed (kill -9) and restarted, and random services are
# killed (kill -9) and restarted. Each run ends completed, failed with a visible reason, or stuck (no outcome within
# CHAOS_BOUND seconds, 300); the result line counts each and any duplicate effects. Goals: 0 stuck, 0 duplicates.
#   deploy/bench/chaos.sh [runs] [seed]        runs: 5; seed: random, printed
# The services use a PRIVATE PostgreSQL cluster this script creates (initdb) and runs (pg_ctl) on its own port
# (CHAOS_PG_PORT, 55432) under .bench/chaos/pg: the shared server on 5432 is never touched. SKIP_BUILD=1 reuses the
# packaged services; MAVEN_ARGS passes options to Maven (e.g. -o). Output: .bench/chaos/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUNS="${1:-5}"
SEED="${2:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}"
STATE="$ROOT/.bench/chaos"
FIXTURES="${CATALOG_AUTOPILOT_FIXTURES:-$ROOT/../shared/fixtures}"
PG_PORT="${CHAOS_PG_PORT:-55432}"
BOUND="${CHAOS_BOUND:-300}"
[ "$PG_PORT" != 5432 ] || { echo "CHAOS_PG_PORT must not be the shared server's 5432" >&2; exit 2; }

PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
PGDATA="$STATE/pg"
AS_PG=""
[ "$(id -u)" = 0 ] && AS_PG="runuser -u postgres --"
as_pg() { $AS_PG "$@"; }

mkdir -p "$STATE"
rm -rf "$STATE/run" "$PGDATA"
mkdir -p "$PGDATA"
[ "$(id -u)" = 0 ] && chown postgres "$PGDATA" "$STATE"
echo "==> a private PostgreSQL cluster on 127.0.0.1:$PG_PORT ($PGDATA)"
as_pg "$PG_BIN/initdb" -D "$PGDATA" -U postgres --auth=trust >"$STATE/initdb.log"
PG_OPTS="-c port=$PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PGDATA -c max_connections=200 -c fsync=off"
as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -o "$PG_OPTS" -w start >/dev/null
stop_pg() { as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1 || true; }
trap stop_pg EXIT

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  "$ROOT/deploy/bootstrap.sh"
  echo "==> packaging the services and the test infrastructure (./mvnw package -DskipTests)"
  (cd "$ROOT" && ./mvnw -B -q ${MAVEN_ARGS:-} package dependency:build-classpath -DskipTests \
      -pl watcher-service,builder-service,mirror-service,rollout-service,libs/testing -am \
      -Dmdep.outputFile=target/bench.classpath >/dev/null)
fi
CP="$ROOT/libs/testing/target/classes:$(cat "$ROOT/libs/testing/target/bench.classpath")"
LOG="$STATE/chaos-$SEED.log"
echo "==> chaos: $RUNS runs, seed $SEED (log: $LOG)"
# A run is stuck past CHAOS_BOUND; the whole script is bounded too: setup plus every run's bound, plus 5 minutes.
LIMIT=$(( 600 + RUNS * (BOUND + 60) ))
set +e
AUTOPILOT_PG_HOST=127.0.0.1 AUTOPILOT_PG_PORT="$PG_PORT" AUTOPILOT_PG_USER=postgres AUTOPILOT_PG_PASSWORD=postgres \
CHAOS_BOUND="$BOUND" \
CHAOS_PG_RESTART="$AS_PG '$PG_BIN/pg_ctl' -D '$PGDATA' -l '$PGDATA/server.log' -o '$PG_OPTS' -m fast -w restart >/dev/null" \
timeout -k 30s "$LIMIT" java -Xmx2g -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    "-Dcatalogautopilot.root=$ROOT" "-Dcatalogautopilot.fixtures=$FIXTURES" \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" \
    dev.catalogautopilot.testing.stack.ChaosMain "$STATE/run" "$RUNS" "$SEED" 2>&1 | tee "$LOG"
CODE=${PIPESTATUS[0]}
set -e
if [ "$CODE" = 124 ] || [ "$CODE" = 137 ]; then
  echo "RESULT: FAILED: the chaos run did not end within ${LIMIT} s and was killed; logs under $STATE/run" | tee -a "$LOG"
fi
exit "$CODE"
