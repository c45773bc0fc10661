#!/usr/bin/env bash
# Prints a bearer token for the local default started with the same FLEETTRUST_HOME.
#   deploy/local/token.sh viewer|planner|admin [validity-seconds]
# The token is an HS256 JWT signed with FLEETTRUST_JWT_SECRET if set, otherwise with the secret
# in $FLEETTRUST_HOME/jwt-secret (created here if the service has not created it yet).
set -euo pipefail
role="${1:-}"
case "$role" in
  viewer|planner|admin) ;;
  *) echo "usage: $0 viewer|planner|admin [validity-seconds]" >&2; exit 2 ;;
esac
validity="${2:-43200}"
home="${FLEETTRUST_HOME:-$HOME/.fleettrust}"

secret="${FLEETTRUST_JWT_SECRET:-}"
if [ -z "$secret" ]; then
  file="$home/jwt-secret"
  if [ ! -s "$file" ]; then
    mkdir -p "$home"
    (umask 077; openssl rand -hex 32 > "$file")
  fi
  secret="$(tr -d '[:space:]' < "$file")"
fi

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
now="$(date +%s)"
header="$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)"
payload="$(printf '{"sub":"local-%s","roles":["%s"],"iss":"fleettrust-local","iat":%d,"nbf":%d,"exp":%d}' \
  "$role" "$role" "$now" "$now" "$((now + validity))" | b64url)"
signature="$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -mac HMAC -macopt "key:$secret" -binary | b64url)"
printf '%s.%s.%s\n' "$header" "$payload" "$signature"
