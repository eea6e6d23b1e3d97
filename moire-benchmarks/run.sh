#!/usr/bin/env bash
# Runs the short benchmark profile and prints one table: each figure, its raw-JDK counterpart
# measured in the same run, the ratio and the target. Pass --quick for a smoke run (no figures),
# --scaling for the scaling table alone (issue 18), --agent for the agent's alone (issue 17),
# --threads 1,2,4,8,16 for their thread counts (default 1,2: this machine has two cores; a 16-core
# machine reproduces the issues' tables).
# Takes a few minutes on two cores; the table is also written to target/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl moire-benchmarks,moire-agent -am package -DskipTests
java -jar moire-benchmarks/target/moire-benchmarks.jar "$@"
