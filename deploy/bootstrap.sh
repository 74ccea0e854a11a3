#!/usr/bin/env bash
# Installs what a fresh Debian machine with a JDK lacks, and is a no-op when everything is there:
# Debian packages (docker-registry, skopeo, PostgreSQL), the Maven wrapper's Maven, and a running
# PostgreSQL on 127.0.0.1:5432. The Kafka broker comes from Maven artifacts (libs/kafka-broker).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log() { printf '[bootstrap] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

PG_HOST="${AUTOPILOT_PG_HOST:-127.0.0.1}"
PG_PORT="${AUTOPILOT_PG_PORT:-5432}"

pg_up() { command -v pg_isready >/dev/null && pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; }

missing=()
command -v docker-registry >/dev/null || missing+=(docker-registry)
command -v skopeo >/dev/null || missing+=(skopeo)
command -v curl >/dev/null || missing+=(curl)
command -v unzip >/dev/null || missing+=(unzip)
if ! pg_up && ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then missing+=(postgresql); fi
command -v psql >/dev/null || missing+=(postgresql-client)

# The wrapper's Maven is fetched as a Maven artifact, so a system Maven is needed once to fetch it.
MAVEN_VERSION=3.9.11
dist_url="$(sed -n 's/^distributionUrl=//p' "$ROOT/.mvn/wrapper/maven-wrapper.properties")"
# Same hash as ./mvnw uses for its MAVEN_HOME, so ./mvnw finds the installed distribution.
eval "$(sed -n '/^hash_string()/,/^}/p' "$ROOT/mvnw")"
wrapper_home="${MAVEN_USER_HOME:-$HOME/.m2}/wrapper/dists/apache-maven-$MAVEN_VERSION/$(hash_string "$dist_url")"
if [ ! -x "$wrapper_home/bin/mvn" ] && ! command -v mvn >/dev/null; then missing+=(maven); fi

if [ "${#missing[@]}" -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -x "$wrapper_home/bin/mvn" ]; then
  log "installing Maven $MAVEN_VERSION for ./mvnw"
  repo="$(cd /tmp && mvn -B -q help:evaluate -Dexpression=settings.localRepository -DforceStdout 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g')"
  [ -n "$repo" ] || repo="$HOME/.m2/repository"
  zip="$repo/org/apache/maven/apache-maven/$MAVEN_VERSION/apache-maven-$MAVEN_VERSION-bin.zip"
  [ -f "$zip" ] || (cd /tmp && mvn -q -B dependency:get -Dartifact="org.apache.maven:apache-maven:$MAVEN_VERSION:zip:bin" -Dtransitive=false)
  tmp="$(mktemp -d)"
  unzip -q "$zip" -d "$tmp"
  mkdir -p "$(dirname "$wrapper_home")"
  mv "$tmp/apache-maven-$MAVEN_VERSION" "$wrapper_home"
  rm -rf "$tmp"
fi

if ! pg_up; then
  log "starting PostgreSQL on $PG_HOST:$PG_PORT"
  version="$(ls /usr/lib/postgresql | sort -V | tail -1)"
  if ! ls "/etc/postgresql/$version/main" >/dev/null 2>&1; then
    as_root pg_createcluster "$version" main >/dev/null
  fi
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  pg_up || { log "PostgreSQL did not come up on $PG_HOST:$PG_PORT"; exit 1; }
  # The services and tests connect as postgres/postgres unless told otherwise.
  as_root su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
fi
log "ready: docker-registry, skopeo, Maven $MAVEN_VERSION, PostgreSQL on $PG_HOST:$PG_PORT"
