package dev.lattice.examples;

import static dev.lattice.dsl.Lattice.GET;
import static dev.lattice.dsl.Lattice.POST;
import static dev.lattice.dsl.Lattice.fqdn;
import static dev.lattice.dsl.Lattice.service;
import static dev.lattice.dsl.Lattice.world;
import static dev.lattice.verify.LatticeAssertions.assertThat;

import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.output.Manifest;
import dev.lattice.verify.Decision;
import dev.lattice.verify.Layer;
import dev.lattice.verify.Query;
import dev.lattice.verify.Source;
import dev.lattice.verify.Verifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The testing example — copy it into your own project: declare your services with the DSL, render
 * both layers, and assert who may reach whom. {@link Verifier} judges the rendered Cilium and Istio
 * documents with evaluators written from the upstream semantics, so these tests fail when a
 * declaration (or a renderer) opens or closes something you did not mean to.
 *
 * <p>Queries name the Service port, as clients dial it; {@code allows} means the connection works
 * (Cilium allows and Istio does not deny), {@code denies} that some layer stops it, and {@code
 * deniesAtEachLayer} that every layer that sees it stops it on its own.
 */
class StorefrontTest {
  private static Verifier verifier;

  @BeforeAll
  static void renderTheShop() {
    ServiceGraph shop =
        ServiceGraph.builder()
            .namespace("shop")
            // the storefront is on the internet: its port is exposed to world (and so PERMISSIVE)
            .add(
                service("web")
                    .port("http", 80, 3000)
                    .permissive()
                    .exposedTo(world())
                    .dependsOn("api")
                    .outbound()
                    .dependsOn("cart")
                    .outbound())
            // api lets web read the catalogue and place orders, nothing else
            .add(
                service("api")
                    .port("http", 80, 8080)
                    .dependsOn("web")
                    .http(GET, "/catalog/*")
                    .http(POST, "/orders")
                    .inbound()
                    .dependsOn("db")
                    .inNamespace("data")
                    .outbound()
                    .egressTo(fqdn("api.stripe.com").port(443)))
            .add(service("cart").port("http", 8080).dependsOn("web").inbound())
            .add(service("db").inNamespace("data").port("pg", 5432).dependsOn("shop/api").inbound())
            .build();

    Topology topology = shop.resolve().orThrow(); // throws with every diagnostic on a mistake
    Manifest cilium = CiliumRenderer.create().render(topology);
    Manifest istio = IstioRenderer.create().render(topology);
    verifier = Verifier.of(topology, cilium, istio);
  }

  @Test
  void webReachesWhatItDeclaredAndWhatAgreed() {
    assertThat(verifier)
        .allows("shop/web", "shop/api", 80)
        .allows("shop/web", "shop/cart", 8080)
        .allows("shop/api", "data/db", 5432);
  }

  @Test
  void apiGrantsWebOnlyTheRequestsItListed() {
    assertThat(verifier)
        .allows("shop/web", "shop/api", 80, "GET", "/catalog/shoes")
        .allows("shop/web", "shop/api", 80, "POST", "/orders")
        .denies("shop/web", "shop/api", 80, "DELETE", "/orders")
        .denies("shop/web", "shop/api", 80, "GET", "/admin/users");
  }

  @Test
  void nothingElseGetsThrough() {
    assertThat(verifier)
        // web never declared the database; each layer refuses it on its own
        .deniesAtEachLayer("shop/web", "data/db", 5432)
        // calls go one way: the database cannot call back, nor cart call web
        .deniesAtEachLayer("data/db", "shop/api", 80)
        .deniesAtEachLayer("shop/cart", "shop/web", 80)
        // cart agreed to web only
        .deniesAtEachLayer("shop/api", "shop/cart", 8080);
  }

  @Test
  void theInternetReachesOnlyTheStorefront() {
    assertThat(verifier)
        .allows(Query.from(Source.world()).to("shop/web", 80))
        .denies(Query.from(Source.world()).to("shop/api", 80))
        .denies(Query.from(Source.world()).to("data/db", 5432));
  }

  @Test
  void onlyApiMayCallStripe() {
    assertThat(verifier)
        .allows(Query.from("shop/api").toHost("api.stripe.com", 443))
        .denies(Query.from("shop/web").toHost("api.stripe.com", 443))
        // web may reach shop's waypoint (it calls api through it), so at L4 the waypoint's
        // egress is per namespace (DESIGN §9, limit 4); the waypoint itself refuses web
        .decides(Layer.ISTIO, Decision.DENY, Query.from("shop/web").toHost("api.stripe.com", 443));
  }
}
