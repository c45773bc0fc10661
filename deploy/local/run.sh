#!/usr/bin/env bash
# Starts FleetTrust in the foreground with its embedded local defaults: PostgreSQL and a
# single-node Kafka broker, both from Maven Central jars, state under FLEETTRUST_HOME
# (default ~/.fleettrust). Set DATASOURCES_DEFAULT_URL / KAFKA_BOOTSTRAP_SERVERS to use real
# ones instead. Ctrl-C or SIGTERM stops everything cleanly.
#   deploy/local/run.sh [--demo]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

launcher="deploy/local/launcher"
echo "Building FleetTrust (the first run downloads dependencies from Maven Central)..." >&2
mvn -B -q -DskipTests -Dspotless.apply.skip=true -pl "$launcher" -am \
  package dependency:build-classpath \
  -Dmdep.outputFile=target/runtime-classpath.txt -Dmdep.includeScope=runtime >&2

exec java ${JAVA_OPTS:-} \
  -cp "$launcher/target/classes:$(cat "$launcher/target/runtime-classpath.txt")" \
  dev.fleettrust.local.LocalMain "$@"
