#!/usr/bin/env bash
# Checks deploy/ and the configuration reference without a Docker engine or a cluster; run by
# .ci/run before `mvn -B verify`, a few seconds once the npm packages are cached.
#   1. npm ci: the pinned tools from package-lock.json into deploy/lint/node_modules.
#   2. deploy/Containerfile: dockerfile-utils (warnings fail too) and the image's promises.
#   3. deploy/compose.yaml: `docker compose config` where the compose plugin exists, and always
#      the Compose Specification schema and the file's promises.
#   4. deploy/k8s: `kubectl kustomize` renders every overlay; each object validates against the
#      Kubernetes schemas (kubernetes-models; unknown fields fail too), and the deployment's
#      promises hold.
#   5. README: every documented environment variable is read by the code, and every variable
#      the configuration reads is documented, with the same default.
set -euo pipefail
cd "$(dirname "$0")"

npm ci --no-audit --no-fund --loglevel=error

echo "== Containerfile (dockerfile-utils)"
node containerfile.mjs ../Containerfile

echo "== compose.yaml"
if docker compose version >/dev/null 2>&1; then
  # A stand-in secret: `config` only interpolates, nothing starts.
  FLEETTRUST_JWT_SECRET=lint-only-placeholder-secret-0123456789 \
    docker compose -f ../compose.yaml config --quiet
  echo "docker compose config: ok"
else
  echo "docker compose plugin not installed: schema check only"
fi
node compose.mjs ../compose.yaml

echo "== k8s overlays (kubectl kustomize, Kubernetes schemas)"
if ! command -v kubectl >/dev/null; then
  echo "kubectl (with Kustomize v5) is needed to render deploy/k8s: install it" >&2
  exit 1
fi
node kustomize.mjs ../k8s/overlays

echo "== README configuration reference"
node config-docs.mjs ../..
