package dev.lattice.examples;

import static dev.lattice.dsl.Lattice.GET;
import static dev.lattice.dsl.Lattice.fqdn;
import static dev.lattice.dsl.Lattice.service;

import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.output.Manifest;
import dev.lattice.output.RequiredLabel;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The quick start without YAML: declare who talks to whom with the DSL, resolve it, and print the
 * Cilium (L4) and Istio (L7) policies.
 *
 * <pre>{@code
 * ServiceGraph shop = ServiceGraph.builder().namespace("shop")
 *     .add(service("web").port("http", 8080).dependsOn("api").outbound())
 *     .add(service("api").port("http", 80, 8080)
 *         .dependsOn("web").http(GET, "/api/*").inbound()
 *         .dependsOn("db").inNamespace("data").outbound()
 *         .egressTo(fqdn("api.stripe.com").port(443)))
 *     .add(service("db").inNamespace("data").port("pg", 5432).dependsOn("shop/api").inbound())
 *     .build();
 * Topology topology = shop.resolve().orThrow();
 * System.out.print(CiliumRenderer.create().render(topology).toYaml());
 * System.out.print(IstioRenderer.create().render(topology).toYaml());
 * }</pre>
 *
 * <p>Run it from the repository root after {@code mvn -q -DskipTests package}: {@code java -cp
 * "lattice-cli/target/lattice.jar:lattice-examples/target/classes"
 * dev.lattice.examples.RenderExample}.
 */
public final class RenderExample {
  private RenderExample() {}

  /** The graph of DESIGN §4: web calls api, which grants it {@code GET /api/*} and calls db. */
  public static ServiceGraph shop() {
    return ServiceGraph.builder()
        .namespace("shop")
        // "web calls api": web declares it, api must agree (below) for any traffic to flow
        .add(service("web").port("http", 8080).dependsOn("api").outbound())
        .add(
            service("api")
                .port("http", 80, 8080) // Service port 80, container port 8080
                // api agrees that web may call it, for GET /api/* only: enforced by a waypoint
                .dependsOn("web")
                .http(GET, "/api/*")
                .inbound()
                .dependsOn("db")
                .inNamespace("data")
                .outbound()
                .egressTo(fqdn("api.stripe.com").port(443)))
        .add(service("db").inNamespace("data").port("pg", 5432).dependsOn("shop/api").inbound())
        .build();
  }

  /** Prints both layers of {@link #shop()} to {@code out}, notes to {@code err}; returns 0 or 1. */
  public static int run(PrintStream out, PrintStream err) {
    Topology topology = shop().resolve();
    for (Diagnostic d : topology.diagnostics()) {
      err.println(d);
    }
    if (topology.hasErrors()) {
      return 1;
    }
    Manifest cilium = CiliumRenderer.create().render(topology);
    Manifest istio = IstioRenderer.create().render(topology);
    out.println("# ---- L4: Cilium (" + cilium.resources().size() + " resources)");
    out.print(cilium.toYaml());
    out.println("# ---- L7: Istio ambient (" + istio.resources().size() + " resources)");
    out.print(istio.toYaml());
    // Lattice does not own Services: labels it needs on them are for the operator to apply
    for (RequiredLabel label : istio.requiredLabels()) {
      err.println("note: " + label + "\n  apply: " + label.kubectl());
    }
    out.flush();
    return 0;
  }

  /** Prints both layers of the DESIGN §4 sketch. */
  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    int code = run(out, System.err);
    out.flush();
    if (code != 0) {
      System.exit(code);
    }
  }
}
