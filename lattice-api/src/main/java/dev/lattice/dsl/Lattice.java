package dev.lattice.dsl;

import dev.lattice.model.Exposure;

/**
 * The entry points of the DSL. Import them statically:
 *
 * <pre>{@code
 * import static dev.lattice.dsl.Lattice.*;
 *
 * ServiceGraph shop = ServiceGraph.builder().namespace("shop")
 *     .add(service("web").port("http", 8080).dependsOn("api").outbound())
 *     .add(service("api").port("http", 80, 8080)
 *         .dependsOn("web").http(GET, "/api/*").inbound()
 *         .dependsOn("db").inNamespace("data").outbound()
 *         .egressTo(fqdn("api.stripe.com").port(443)))
 *     .add(service("db").inNamespace("data").port("pg", 5432).dependsOn("shop/api").inbound())
 *     .build();
 * }</pre>
 */
public final class Lattice {
  /** HTTP GET. */
  public static final String GET = "GET";

  /** HTTP HEAD. */
  public static final String HEAD = "HEAD";

  /** HTTP POST. */
  public static final String POST = "POST";

  /** HTTP PUT. */
  public static final String PUT = "PUT";

  /** HTTP PATCH. */
  public static final String PATCH = "PATCH";

  /** HTTP DELETE. */
  public static final String DELETE = "DELETE";

  /** HTTP OPTIONS. */
  public static final String OPTIONS = "OPTIONS";

  private Lattice() {}

  /** Starts a service: {@code "api"} (in the graph's current namespace) or {@code "shop/api"}. */
  @CheckReturnValue
  public static ServiceBuilder service(String name) {
    return ServiceBuilder.start(name);
  }

  /**
   * Egress to a DNS name: exact ({@code api.stripe.com}) or wildcard ({@code *.s3.amazonaws.com}).
   */
  @CheckReturnValue
  public static EgressRule fqdn(String name) {
    return EgressRule.fqdn(name);
  }

  /** Egress to an IPv4 or IPv6 range, e.g. {@code 10.0.0.0/8}. */
  @CheckReturnValue
  public static EgressRule cidr(String cidr) {
    return EgressRule.cidr(cidr);
  }

  /**
   * Egress to a Cilium entity: {@code kube-apiserver}, {@code world}, {@code cluster}, {@code host}
   * or {@code remote-node}.
   */
  @CheckReturnValue
  public static EgressRule entity(String name) {
    return EgressRule.entity(name);
  }

  /** Internet clients, as an exposure of a port: {@code .port("http", 80).exposedTo(world())}. */
  public static Exposure world() {
    return Exposure.world();
  }

  /** The Kubernetes API server (admission webhooks), as an exposure of a port. */
  public static Exposure kubeApiserver() {
    return Exposure.kubeApiserver();
  }

  /**
   * Clients in an address range, as an exposure of a port: {@code
   * exposedTo(clients("10.20.0.0/16"))}.
   */
  public static Exposure clients(String cidr) {
    String problem = dev.lattice.internal.Names.cidr(cidr);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return Exposure.cidr(cidr);
  }
}
