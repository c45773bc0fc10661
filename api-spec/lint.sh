#!/usr/bin/env bash
# Lints the FleetTrust API contract. Exits non-zero on any finding.
#   1. npm ci: the pinned tools from package-lock.json into api-spec/node_modules.
#   2. Spectral (spectral:oas + the FleetTrust rules in .spectral.yaml) on openapi.yaml,
#      failing on warnings too. This also validates every example in the document, the
#      event batches included, against its schema.
#   3. The device event examples against the event JSON Schemas (2020-12, ajv): valid
#      ones must pass, the ones in events/examples/invalid/ must fail.
# Real responses are checked against this document by the service's contract test
# (service/src/test/java/dev/fleettrust/testing/contract, ADR 0002), run by `mvn -B verify`,
# which also runs this script.
set -euo pipefail
cd "$(dirname "$0")"

npm ci --no-audit --no-fund --loglevel=error

echo "== spectral lint openapi.yaml"
./node_modules/.bin/spectral lint openapi.yaml --ruleset .spectral.yaml --fail-severity=warn

echo "== event examples (ajv, JSON Schema 2020-12)"
node tools/validate-event-examples.mjs
