#!/usr/bin/env bash
# Lints the FleetTrust API contract. Exits non-zero on any finding.
#   1. npm ci: the pinned tools from package-lock.json into api-spec/node_modules.
#   2. Spectral (spectral:oas + the FleetTrust rules in .spectral.yaml) on openapi.yaml,
#      failing on warnings too. This also validates every example in the document, the
#      event batches included, against its schema.
#   3. The device event examples against the event JSON Schemas (2020-12, ajv): valid
#      ones must pass, the ones in events/examples/invalid/ must fail.
#   4. The contract check (tools/contract-check, Java 17 + Maven): the same examples and
#      typical drift through swagger-request-validator, the validator of the service's
#      contract test. Skip it with --no-java where there is no JDK.
set -euo pipefail
cd "$(dirname "$0")"

java_check=1
for arg in "$@"; do
  case "$arg" in
    --no-java) java_check=0 ;;
    *) echo "usage: $0 [--no-java]" >&2; exit 2 ;;
  esac
done

npm ci --no-audit --no-fund --loglevel=error

echo "== spectral lint openapi.yaml"
./node_modules/.bin/spectral lint openapi.yaml --ruleset .spectral.yaml --fail-severity=warn

echo "== event examples (ajv, JSON Schema 2020-12)"
node tools/validate-event-examples.mjs

if [ "$java_check" = 1 ]; then
  echo "== contract check (swagger-request-validator)"
  tools/contract-check/run.sh
else
  echo "== contract check skipped (--no-java)"
fi
