#!/usr/bin/env bash
# The runs behind the table in BENCHMARKS.md: RUNS cold JVMs per size (-Xmx2g), then the medians.
# Usage: lattice-benchmarks/run-scale.sh [RUNS] [OUT.jsonl]   (build first: mvn -B package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
out="${2:-lattice-benchmarks/target/scale-runs.jsonl}"
jar="${JAR:-lattice-benchmarks/target/benchmarks.jar}"
: > "$out"
for n in 1000 5000 10000 50000; do
  for r in $(seq "$runs"); do
    java -Xmx2g -cp "$jar" dev.lattice.benchmarks.Scale \
      --services "$n" --namespaces $((n / 250)) --degree 3 --seed 1 --edits 100 >> "$out"
  done
done
java -cp "$jar" dev.lattice.benchmarks.Summary "$out"
