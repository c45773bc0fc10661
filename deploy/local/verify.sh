#!/usr/bin/env bash
# Offline certificate chain verifier (issue 3, item 6): the FleetTrust validator from the command
# line, the way `openssl verify` is used. No database or broker needed.
#
#   deploy/local/verify.sh --trusted roots.pem [--untrusted intermediates.pem] --peer leaf.pem \
#       [--host sip.example.net] [--time 2026-03-01T00:00:00Z] [--profile WEB_PKI|rfc5280] \
#       [--crls crls.pem] [--initial-policy OID]... [--explicit-policy] \
#       [--inhibit-policy-mapping] [--inhibit-any-policy]
#
# --crls takes a PEM or DER bundle of complete and delta CRLs and turns revocation checking on
# (RFC 5280 6.3; nothing is fetched): CERTIFICATE_REVOKED, REVOCATION_STALE (the CRL is past its
# nextUpdate at --time), REVOCATION_STATUS_UNKNOWN (no CRL in the bundle decides). The policy
# options are RFC 5280 6.1.1's initial inputs (--initial-policy repeatable, default anyPolicy).
#
# --profile takes WEB_PKI (the default, strict web PKI), rfc5280 (RFC 5280 path validation
# without CA/Browser Forum restrictions: SHA-1, DSA and RSA-1024 accepted, issuance rules as
# warnings) or a firmware catalog profile: FAMILY:build, e.g.
# LPE-AIRES:4.0.7577.4100, validates as that build does (its effective capabilities from the
# shipped catalog; edits made through the API are not seen offline); a bare FAMILY gives the
# family defaults.
#
# Prints one JSON object {"result":"SUCCESS"|"FAILURE","findings":[...],"path":[...]} on stdout
# and exits 0 (SUCCESS), 1 (FAILURE) or 2 (bad input). Maven output goes to stderr.
# The first run compiles the service module and caches the Bouncy Castle and Jackson class path
# under service/target; set VERIFY_REBUILD=1 to force both again.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CLASSES="$ROOT/service/target/classes"
MAIN_CLASS_FILE="$CLASSES/dev/fleettrust/x509/VerifyCommand.class"
# Bouncy Castle for x509, Jackson for the catalog files behind the catalog profiles.
CP_FILE="$ROOT/service/target/verify-classpath-bc-jackson.txt"
BUILD_STAMP="$ROOT/service/target/verify-build.stamp"
SOURCES=(
  "$ROOT/service/src/main/java/dev/fleettrust/x509"
  "$ROOT/service/src/main/java/dev/fleettrust/trust"
  "$ROOT/service/src/main/java/dev/fleettrust/catalog"
  "$ROOT/service/src/main/resources/catalog"
  "$ROOT/service/src/main/resources/META-INF/services"
)

mvn_quiet() {
  # Offline first (everything is usually in ~/.m2), then online once if that fails.
  mvn -B -q -o -Dstyle.color=never -f "$ROOT/pom.xml" -pl service "$@" >&2 \
    || mvn -B -q -Dstyle.color=never -f "$ROOT/pom.xml" -pl service "$@" >&2
}

if [[ "${VERIFY_REBUILD:-0}" == "1" || ! -f "$MAIN_CLASS_FILE" || ! -f "$BUILD_STAMP" ]] \
  || [[ -n "$(find "${SOURCES[@]}" -type f -newer "$BUILD_STAMP" -print -quit 2>/dev/null)" ]]; then
  mvn_quiet compile
  touch "$BUILD_STAMP"
fi
if [[ "${VERIFY_REBUILD:-0}" == "1" || ! -s "$CP_FILE" ]]; then
  mvn_quiet dependency:build-classpath -Dmdep.outputFile="$CP_FILE" \
    -Dmdep.includeGroupIds=org.bouncycastle,com.fasterxml.jackson.core
fi

exec java -cp "$CLASSES:$(cat "$CP_FILE")" dev.fleettrust.x509.VerifyCommand "$@"
