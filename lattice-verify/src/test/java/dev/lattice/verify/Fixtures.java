package dev.lattice.verify;

import static dev.lattice.dsl.Lattice.fqdn;
import static dev.lattice.dsl.Lattice.service;

import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;

/** Test helper: the topology the evaluator tests judge hand-written documents in. */
public final class Fixtures {
  private Fixtures() {}

  /**
   * {@code shop/web} (ambient, http 8080) calls {@code shop/api} (ambient, http 80→8080, grpc
   * 9090); {@code shop/legacy} is not in the mesh (http 8081); {@code shop/metrics} listens on UDP
   * 8125; {@code data/db} (ambient, pg 5432) lives in another namespace.
   */
  public static Topology shop() {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(
            service("web")
                .port("http", 8080)
                .dependsOn("api")
                .outbound()
                .egressTo(fqdn("api.stripe.com").port(443)))
        .add(service("api").port("http", 80, 8080).port("grpc", 9090).dependsOn("web").inbound())
        .add(service("legacy").port("http", 8081).notInMesh())
        .add(service("metrics").port("statsd", 8125).udp())
        .add(service("db").inNamespace("data").port("pg", 5432))
        .build()
        .resolve();
  }

  /** The default-deny clusterwide policy Lattice renders (DESIGN §6), as YAML. */
  public static final String DEFAULT_DENY =
      """
      apiVersion: cilium.io/v2
      kind: CiliumClusterwideNetworkPolicy
      metadata: {name: lattice-default-deny}
      spec:
        endpointSelector:
          matchExpressions:
          - key: k8s:io.kubernetes.pod.namespace
            operator: NotIn
            values: [cert-manager, cilium-system, istio-system, kube-node-lease, kube-public, kube-system]
        ingress: [{}]
        egress: [{}]
      """;
}
