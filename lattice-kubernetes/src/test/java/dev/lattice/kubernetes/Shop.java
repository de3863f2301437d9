package dev.lattice.kubernetes;

import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.graph.Topology;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.model.Settings;
import dev.lattice.output.Manifest;
import dev.lattice.spec.Specs;

/** A small shop's specs, and their rendering, for the tests against the mock cluster. */
final class Shop {
  private Shop() {}

  /** web calls api; api admits web and calls data/db; db admits api; cart admits web. */
  private static final String BASE =
      """
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeService
      metadata: {name: web, namespace: shop}
      spec:
        workload:
          service:
            ports:
              http: {port: 80, targetPort: 3000}
          resources:
            api: {}
            cart: {}
      ---
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeService
      metadata: {name: api, namespace: shop}
      spec:
        workload:
          service:
            ports:
              http: {port: 80, targetPort: 8080}
          resources:
            web: {direction: inbound}
            db: {namespace: data}
      ---
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeService
      metadata: {name: cart, namespace: shop}
      spec:
        workload:
          service:
            ports:
              http: {port: 8080}
          resources:
            web: {direction: inbound}
      ---
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeService
      metadata: {name: db, namespace: data}
      spec:
        workload:
          service:
            ports:
              pg: {port: 5432}
          resources:
            api: {namespace: shop, direction: inbound}
      """;

  /**
   * {@link #BASE}, with an HTTP rule (api behind a waypoint: a Gateway), an FQDN egress (a
   * ServiceEntry) and a PERMISSIVE port (a PeerAuthentication): every kind Lattice renders.
   */
  static final String SPECS =
      BASE.replace(
              "      web: {direction: inbound}\n      db:",
              "      web: {direction: inbound, params: {http: [{methods: [GET], paths: [\"/api/*\"]}]}}\n"
                  + "      db:")
          .replace(
              "      api: {}\n      cart: {}\n",
              "      api: {}\n      cart: {}\n"
                  + "      stripe: {type: external-service, params: {endpoints: {api:"
                  + " \"https://api.stripe.com\"}}}\n")
          .replace("pg: {port: 5432}", "pg: {port: 5432, peerAuth: PERMISSIVE}");

  /** {@link #SPECS} with db on port 6432: a change to db (and to api, which calls it). */
  static final String DB_MOVED = SPECS.replace("pg: {port: 5432", "pg: {port: 6432");

  /** {@link #SPECS} without cart (web still names it: a warning, and cart's objects go). */
  static final String WITHOUT_CART =
      SPECS.substring(
              0,
              SPECS.indexOf(
                  "---\napiVersion: lattice.dev/v1alpha1\nkind: LatticeService\nmetadata: {name: cart"))
          + SPECS.substring(
              SPECS.indexOf(
                  "---\napiVersion: lattice.dev/v1alpha1\nkind: LatticeService\nmetadata: {name: db"));

  /** Every service out of the mesh: no ambient-probe policy, no Istio policies per service. */
  static final String OUT_OF_MESH =
      BASE.replace("spec:\n  workload:", "spec:\n  ambient: false\n  workload:");

  /** The topology of {@code specs}. */
  static Topology topology(String specs) {
    return Specs.parse("shop.yaml", specs).orThrow().resolve(Settings.defaults()).orThrow();
  }

  /** Both layers of {@code specs}, rendered. */
  static Manifest render(String specs) {
    Topology t = topology(specs);
    return CiliumRenderer.create().render(t).plus(IstioRenderer.create().render(t));
  }
}
