#!/usr/bin/env bash
# The full test suite: unit tests, then integration tests against a real Kafka broker (KRaft), PostgreSQL,
# docker-registry instances and the fixture App Registry. Installs whatever a fresh Debian machine lacks first.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/deploy/bootstrap.sh"
cd "$ROOT"
exec ./mvnw -B --no-transfer-progress verify "$@"
