// The cdk8s-plus side of the comparison in BENCHMARKS.md. Reads the neutral graph the scale
// harness writes (--write-graph), builds one cdk8s-plus Deployment per service in a chart per
// namespace, calls allowTo once per edge (caller, callee: which writes the egress and the
// ingress NetworkPolicy), synthesises the YAML in-process, and prints one JSON line with the times.
//
//   npm ci --prefix lattice-benchmarks/cdk8s
//   node lattice-benchmarks/cdk8s/bench.js graph.json [--out FILE]
'use strict';
const fs = require('fs');
const { App, Chart } = require('cdk8s');
const kplus = require('cdk8s-plus-34');

function main(argv) {
  const file = argv[0];
  if (!file) {
    process.stderr.write('usage: node bench.js GRAPH.json [--out FILE]\n');
    return 2;
  }
  const out = argv[1] === '--out' ? argv[2] : null;
  const graph = JSON.parse(fs.readFileSync(file, 'utf8'));

  const start = process.hrtime.bigint();
  const app = new App();
  const charts = new Map();
  const workloads = new Map();
  for (const s of graph.services) {
    let chart = charts.get(s.namespace);
    if (!chart) {
      chart = new Chart(app, 'ns-' + s.namespace, { namespace: s.namespace });
      charts.set(s.namespace, chart);
    }
    const ports = (s.ports || []).map((p) => ({ number: p }));
    const d = new kplus.Deployment(chart, s.name, {
      replicas: 1,
      containers: [{ image: 'registry.example/' + s.name + ':1', ports, securityContext: { ensureNonRoot: false } }],
    });
    workloads.set(s.namespace + '/' + s.name, d);
  }
  // the neutral form has one line per agreed port; cdk8s-plus takes one allowTo per pair
  const pairs = new Map();
  for (const e of graph.edges) {
    const key = e.from + ' ' + e.to;
    let ports = pairs.get(key);
    if (!ports) {
      ports = [];
      pairs.set(key, ports);
    }
    ports.push(e.port);
  }
  let edges = 0;
  for (const [key, ports] of pairs) {
    const [a, b] = key.split(' ');
    const from = workloads.get(a);
    const to = workloads.get(b);
    if (!from || !to) {
      continue;
    }
    from.connections.allowTo(to, { ports: ports.map((p) => kplus.NetworkPolicyPort.tcp(p)) });
    edges++;
  }
  const built = process.hrtime.bigint();
  const yaml = app.synthYaml();
  const synthesised = process.hrtime.bigint();
  if (out) {
    fs.writeFileSync(out, yaml);
  }
  const documents = (yaml.match(/^---$/gm) || []).length + 1;
  const ms = (a, b) => Math.round(Number(b - a) / 1e5) / 10;
  process.stdout.write(
    JSON.stringify({
      tool: 'cdk8s-plus-34',
      node: process.version,
      services: graph.services.length,
      edges,
      documents,
      output_bytes: Buffer.byteLength(yaml),
      ms: { build: ms(start, built), synth: ms(built, synthesised), total: ms(start, synthesised) },
    }) + '\n',
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
