#!/usr/bin/env bash
# The audit tool: answers from the event topics alone. Examples:
#   deploy/audit.sh timeline --correlation <id>
#   deploy/audit.sh timeline --catalog community-operators --from 2026-11-01T00:00:00Z
#   deploy/audit.sh at --cluster prod-eu-1 --time 2026-11-20T12:00:00Z
#   deploy/audit.sh verify
#   deploy/audit.sh rebuild-fleet --jdbc-url jdbc:postgresql://... --schema fleet_check --compare-with http://rollout:8084
#   AUTOPILOT_USER=... AUTOPILOT_PASSWORD=... deploy/audit.sh redrive --rollout-url http://rollout:8084 --catalog C --event <id>
#   deploy/audit.sh dlq list --topic mirror.jobs.dlq
#   deploy/audit.sh dlq redrive --topic mirror.jobs.dlq [--event <id>]
# Options before the command: --bootstrap-servers (default $KAFKA_BOOTSTRAP_SERVERS), --topics, --since.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AUDIT="$ROOT/libs/audit/target"
if [ ! -f "$AUDIT/runtime.classpath" ] || [ ! -d "$AUDIT/classes" ]; then
  (cd "$ROOT" && ./mvnw -B -q -pl libs/audit -am install -DskipTests >&2)
fi
exec java -cp "$AUDIT/classes:$(cat "$AUDIT/runtime.classpath")" dev.catalogautopilot.audit.AuditCommand "$@"
