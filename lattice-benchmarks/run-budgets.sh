#!/usr/bin/env bash
# Every number of the Budgets table in BENCHMARKS.md, in one go: RUNS cold JVMs (-Xmx2g) of the
# 50k graph with 100 edits, then RUNS pairs of cdk8s-plus and Lattice on the identical 5k graph
# (the neutral --graph form), then the table of medians. `uptime` goes beside every run.
# Usage: lattice-benchmarks/run-budgets.sh [RUNS] [OUT_DIR]
#   (build first: mvn -B -pl lattice-api,lattice-cilium,lattice-istio,lattice-benchmarks -am
#    package -DskipTests; and npm ci --prefix lattice-benchmarks/cdk8s for the baseline)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
out="${2:-lattice-benchmarks/target/budgets}"
jar="${JAR:-lattice-benchmarks/target/benchmarks.jar}"
# JVM flags for the Lattice runs, e.g. what ./lattice uses where the kernel offers huge pages:
# JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseTransparentHugePages -XX:+UseParallelGC
#   -XX:NewRatio=1 -XX:InitialRAMPercentage=25" (-Xmx2g comes first, so the heap is 2 GB whole)
read -r -a opts <<< "${JAVA_OPTS:-}"
mkdir -p "$out"
: > "$out/scale-50k.jsonl"
: > "$out/lattice-5k.jsonl"
: > "$out/cdk8s-5k.jsonl"
: > "$out/uptime.log"
for r in $(seq "$runs"); do
  echo "50k run $r: $(uptime)" >> "$out/uptime.log"
  java -Xmx2g ${opts[@]+"${opts[@]}"} -cp "$jar" dev.lattice.benchmarks.Scale \
    --services 50000 --namespaces 200 --degree 3 --seed 1 --edits 100 >> "$out/scale-50k.jsonl"
done
java -cp "$jar" dev.lattice.benchmarks.Scale \
  --services 5000 --namespaces 20 --seed 1 --write-graph "$out/graph-5k.json" > /dev/null
for r in $(seq "$runs"); do
  echo "5k pair $r: $(uptime)" >> "$out/uptime.log"
  node lattice-benchmarks/cdk8s/bench.js "$out/graph-5k.json" >> "$out/cdk8s-5k.jsonl"
  java -Xmx2g ${opts[@]+"${opts[@]}"} -cp "$jar" dev.lattice.benchmarks.Scale --graph "$out/graph-5k.json" \
    >> "$out/lattice-5k.jsonl"
done
echo "done: $(uptime)" >> "$out/uptime.log"
java -cp "$jar" dev.lattice.benchmarks.Budgets \
  "$out/scale-50k.jsonl" "$out/lattice-5k.jsonl" "$out/cdk8s-5k.jsonl"
cat "$out/uptime.log"
