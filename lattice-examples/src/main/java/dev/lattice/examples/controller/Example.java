package dev.lattice.examples.controller;

/** The specs {@link Reconciler#main} feeds its store, one change at a time. */
final class Example {
  private Example() {}

  /** web calls api; api admits web and calls data/db. */
  static final String SHOP =
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
      """;

  /** {@link #SHOP}, with api granting web only {@code GET /api/*}. */
  static final String SHOP_WITH_HTTP_RULE =
      SHOP.replace(
          "      web: {direction: inbound}\n",
          "      web: {direction: inbound, params: {http: [{methods: [GET], paths: [\"/api/*\"]}]}}\n");

  /** {@link #SHOP_WITH_HTTP_RULE}, with web also calling cart. */
  static final String SHOP_WITH_HTTP_RULE_AND_CART =
      SHOP_WITH_HTTP_RULE.replace("      api: {}\n", "      api: {}\n      cart: {}\n");

  /** The database, which admits shop/api. */
  static final String DATA =
      """
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

  /** A cart service that admits shop/web. */
  static final String CART =
      """
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
      """;
}
