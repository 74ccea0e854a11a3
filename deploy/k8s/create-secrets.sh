#!/usr/bin/env bash
# Creates the Secrets the manifests reference, in namespace $1, each only if it does not exist yet: the
# kustomization ships none, so re-applying it never resets a credential. Nothing here prints a secret.
#   AUTOPILOT_PG_PASSWORD=… deploy/k8s/create-secrets.sh catalog-autopilot
# Inputs (environment):
#   AUTOPILOT_PG_PASSWORD       required: the services' PostgreSQL password
#   AUTOPILOT_PG_HOST / _PORT / _USER   default catalog-autopilot-postgres / 5432 / catalog-autopilot
#   REGISTRY_AUTH_FILE          auth.json / docker config.json for the registries; default none (anonymous)
#   APP_REGISTRY_CREDENTIALS    file with the App Registry token or {"username":…,"password":…}; default none
#   KUBECONFIG_DIR              directory with one kubeconfig file per managed cluster, named after the cluster
#   OPERATOR_PASSWORD           password of the API user "operator"; default a generated one (read it back with
#                               kubectl get secret api-users -o jsonpath='{.data.QUARKUS_SECURITY_USERS_EMBEDDED_USERS_OPERATOR}')
set -euo pipefail

NS="${1:?usage: create-secrets.sh <namespace>}"
log() { printf '[create-secrets] %s\n' "$*" >&2; }

# create_secret <name> <kubectl create secret arguments…>: creates it unless it exists; never replaces one.
create_secret() {
  local name="$1"
  shift
  if kubectl -n "$NS" get secret "$name" >/dev/null 2>&1; then
    log "$name exists; left as it is"
  else
    kubectl -n "$NS" create secret "$@" >/dev/null
    log "$name created"
  fi
}

generated() { head -c 24 /dev/urandom | base64 | tr -d '/+=' ; }
empty_dir="$(mktemp -d)"
trap 'rm -rf "$empty_dir"' EXIT

: "${AUTOPILOT_PG_PASSWORD:?set AUTOPILOT_PG_PASSWORD to the services PostgreSQL password}"
create_secret catalog-autopilot-postgres generic catalog-autopilot-postgres \
  --from-literal=AUTOPILOT_PG_HOST="${AUTOPILOT_PG_HOST:-catalog-autopilot-postgres}" \
  --from-literal=AUTOPILOT_PG_PORT="${AUTOPILOT_PG_PORT:-5432}" \
  --from-literal=AUTOPILOT_PG_USER="${AUTOPILOT_PG_USER:-catalog-autopilot}" \
  --from-file=AUTOPILOT_PG_PASSWORD=<(printf '%s' "$AUTOPILOT_PG_PASSWORD")

if [ -n "${REGISTRY_AUTH_FILE:-}" ]; then
  create_secret registry-auth generic registry-auth --type=kubernetes.io/dockerconfigjson \
    --from-file=.dockerconfigjson="$REGISTRY_AUTH_FILE"
else
  printf '{"auths":{}}' >"$empty_dir/auth.json"
  create_secret registry-auth generic registry-auth --type=kubernetes.io/dockerconfigjson \
    --from-file=.dockerconfigjson="$empty_dir/auth.json"
fi

if [ -n "${APP_REGISTRY_CREDENTIALS:-}" ]; then
  create_secret app-registry-credentials generic app-registry-credentials \
    --from-file=credentials.json="$APP_REGISTRY_CREDENTIALS"
else
  create_secret app-registry-credentials generic app-registry-credentials
fi

create_secret cluster-kubeconfigs generic cluster-kubeconfigs --from-file="${KUBECONFIG_DIR:-$empty_dir}"

create_secret api-users generic api-users \
  --from-file=QUARKUS_SECURITY_USERS_EMBEDDED_USERS_OPERATOR=<(printf '%s' "${OPERATOR_PASSWORD:-$(generated)}") \
  --from-literal=QUARKUS_SECURITY_USERS_EMBEDDED_ROLES_OPERATOR=trigger,approve,pause,resume,replay,redrive
