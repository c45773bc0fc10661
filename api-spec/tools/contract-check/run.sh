#!/usr/bin/env bash
# Builds and runs the swagger-request-validator check of api-spec/ (see ContractCheck).
set -euo pipefail
cd "$(dirname "$0")"
build() { mvn -B -q -Dstyle.color=never "$@" package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt; }
# Offline first (the artifacts are usually in ~/.m2); online only to fetch what is missing.
build -o >/dev/null 2>&1 || build
java -cp "target/classes:$(cat target/classpath.txt)" \
  dev.fleettrust.apispec.ContractCheck ../..
