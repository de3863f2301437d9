package dev.lattice.verify;

import static dev.lattice.dsl.Lattice.GET;
import static dev.lattice.dsl.Lattice.service;
import static dev.lattice.dsl.Lattice.world;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.output.Manifest;
import dev.lattice.output.Resource;
import dev.lattice.verify.world.World;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The paths real clusters take that the evaluator must see (SEMANTICS M2, R5): a caller that dials
 * pod addresses meets no Service waypoint; an ingress gateway meets one only where the Service says
 * {@code istio.io/ingress-use-waypoint}; every Istio proxy needs istiod, by name; and services that
 * share a service account are one identity at L7.
 */
class RealClusterPathTest {
  /** An ingress gateway, a pod-IP scraper and an ordinary caller around web, behind a waypoint. */
  static Topology shop() {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(
            service("istio-ingress/gateway")
                .gateway()
                .selector("istio", "ingressgateway")
                .serviceAccount("istio-ingressgateway")
                .port("http", 80, 8080)
                .permissive()
                .exposedTo(world())
                .dependsOn("shop/web")
                .outbound())
        .add(service("admin").dependsOn("web").outbound())
        .add(service("monitoring/prometheus").dependsOnAny().ports("metrics").byPodIp().outbound())
        .add(
            service("web")
                .port("http", 80, 3000)
                .port("metrics", 9090)
                .dependsOn("admin")
                .http(GET, "/admin/*")
                .inbound()
                .dependsOn("istio-ingress/gateway")
                .ports("http")
                .inbound()
                .dependsOn("monitoring/prometheus")
                .ports("metrics")
                .inbound())
        .build()
        .resolve()
        .orThrow();
  }

  private static final Topology SHOP = shop();
  private static final Manifest CILIUM = CiliumRenderer.create().render(SHOP);
  private static final Manifest ISTIO = IstioRenderer.create().render(SHOP);

  private static Verifier verifier(World.Builder world) {
    return Verifier.of(world.manifest(CILIUM).manifest(ISTIO).build(), CILIUM, ISTIO);
  }

  private static final Verifier AS_RENDERED = Verifier.of(SHOP, CILIUM, ISTIO);

  private static List<String> steps(LayerVerdict v) {
    return v.steps().stream().map(s -> s.kind() + " " + s.description()).toList();
  }

  // ---------------------------------------------------------------- pod-IP callers

  @Test
  void aPodIpCallerGoesStraightToThePodPastTheWaypoint() {
    Verdict v = AS_RENDERED.check(Query.from("monitoring/prometheus").to("shop/web", 9090));
    assertThat(v.path())
        .startsWith("pod-IP caller dialing shop/web-0:9090, ambient -> ambient")
        .contains("(M1)");
    assertThat(steps(v.cilium()))
        .containsExactly(
            "NOTE pod address of shop/web-0",
            "HOP monitoring/prometheus-0 -> shop/web-0 TCP 15008");
    // the pods' ztunnel judges the scraper's own identity, on the container port
    assertThat(steps(v.istio())).containsExactly("ZTUNNEL ztunnel of shop/web-0");
    assertThat(v.istio().reason())
        .contains("monitoring/sa/prometheus")
        .contains("port 9090")
        .contains("allowed by AuthorizationPolicy shop/web-ztunnel");
    assertThat(v.allowed()).isTrue();
    // and only there: web's other ports stay closed to it at L7 (HBONE hides them from L4)
    Verdict http = AS_RENDERED.check(Query.from("monitoring/prometheus").to("shop/web", 80));
    assertThat(http.istio().decision()).isEqualTo(Decision.DENY);
  }

  @Test
  void thePodIpRouteNeedsNoWaypointLabelAndTheServiceRouteStillFailsClosed() {
    Verifier unlabelled = verifier(World.builder(SHOP).applyRequiredLabels(false));
    assertThat(unlabelled.check(Query.from("monitoring/prometheus").to("shop/web", 9090)).allowed())
        .isTrue();
    // admin goes to the Service; without use-waypoint it reaches the pods, which admit only the
    // waypoint
    Verdict admin = unlabelled.check(Query.from("shop/admin").to("shop/web", 80));
    assertThat(admin.deniedByEachLayer()).isTrue();
  }

  // ---------------------------------------------------------------- gateways

  @Test
  void aGatewayNeedsIstiodAndTakesTheWaypointWhereTheServiceSaysSo() {
    Verdict v =
        AS_RENDERED.check(
            Query.from("istio-ingress/gateway").to("shop/web", 80).request("GET", "/"));
    assertThat(v.path())
        .contains("has istio.io/use-waypoint=waypoint")
        .contains("Service shop/web has istio.io/ingress-use-waypoint=true")
        .contains("(M2)");
    assertThat(steps(v.cilium()))
        .containsExactly(
            "NOTE DNS for istiod.istio-system.svc",
            "PRECONDITION the gateway needs istiod (xDS): istio-ingress/gateway-0 ->"
                + " istio-system/istiod-0 TCP 15012",
            "NOTE DNS for web.shop.svc.cluster.local",
            "HOP istio-ingress/gateway-0 -> shop/waypoint-0 TCP 15008",
            "DNS lookup of istiod.istio-system.svc by shop/waypoint-0",
            "PRECONDITION the waypoint needs istiod (xDS): shop/waypoint-0 ->"
                + " istio-system/istiod-0 TCP 15012",
            "HOP shop/waypoint-0 -> shop/web-0 TCP 15008");
    assertThat(v.allowed()).isTrue();
  }

  @Test
  void withoutTheIngressLabelAGatewaySkipsTheWaypointAndIsDenied() {
    Verifier unlabelled = verifier(World.builder(SHOP).applyRequiredLabels(false));
    Verdict v = unlabelled.check(Query.from("istio-ingress/gateway").to("shop/web", 80));
    assertThat(v.path()).contains("no istio.io/use-waypoint label");
    assertThat(v.deniedByEachLayer()).isTrue();
    // use-waypoint alone is not enough for a gateway (pilot's findServiceWaypoint)
    Verifier waypointOnly =
        verifier(
            World.builder(SHOP)
                .applyRequiredLabels(false)
                .serviceLabel("shop/web", World.USE_WAYPOINT, "waypoint"));
    Verdict skipped = waypointOnly.check(Query.from("istio-ingress/gateway").to("shop/web", 80));
    assertThat(skipped.path())
        .contains("an ingress gateway skips it: no istio.io/ingress-use-waypoint label");
    assertThat(skipped.deniedByEachLayer()).isTrue();
    // but an ordinary mesh caller takes it
    assertThat(waypointOnly.check(Query.from("shop/admin").to("shop/web", 80)).allowed()).isTrue();
  }

  @Test
  void theIngressLabelIsReadFromTheServiceThenTheNamespaceAsABoolean() {
    World.Builder base =
        World.builder(SHOP)
            .applyRequiredLabels(false)
            .serviceLabel("shop/web", World.USE_WAYPOINT, "waypoint");
    Query q = Query.from("istio-ingress/gateway").to("shop/web", 80);
    assertThat(
            verifier(
                    World.builder(SHOP)
                        .applyRequiredLabels(false)
                        .serviceLabel("shop/web", World.USE_WAYPOINT, "waypoint")
                        .namespaceLabel("shop", World.INGRESS_USE_WAYPOINT, "True"))
                .check(q)
                .allowed())
        .isTrue();
    Verdict off =
        verifier(
                base.serviceLabel("shop/web", World.INGRESS_USE_WAYPOINT, "false")
                    .namespaceLabel("shop", World.INGRESS_USE_WAYPOINT, "true"))
            .check(q);
    // the Service's own label wins over its namespace's
    assertThat(off.path()).contains("istio.io/ingress-use-waypoint=false, which is not true");
    assertThat(off.allowed()).isFalse();
  }

  @Test
  void aGatewayCutOffFromIstiodCarriesNothing() {
    Manifest cut =
        without(
            CILIUM,
            r -> r.name().equals("gateway"),
            e -> e.at("/toEndpoints/0/matchLabels/app").asText("").equals("istiod"));
    Verifier v = Verifier.of(SHOP, cut, ISTIO);
    Verdict verdict = v.check(Query.from("istio-ingress/gateway").to("shop/web", 80));
    assertThat(verdict.cilium().decision()).isEqualTo(Decision.DENY);
    assertThat(verdict.cilium().reason()).contains("the gateway needs istiod (xDS)");
  }

  @Test
  void aWaypointThatCannotResolveIstiodCarriesNothing() {
    Manifest cut =
        without(
            CILIUM,
            r -> r.name().equals("waypoint"),
            e -> e.at("/toEndpoints/0/matchLabels/k8s-app").asText("").equals("kube-dns"));
    Verifier v = Verifier.of(SHOP, cut, ISTIO);
    Verdict verdict = v.check(Query.from("shop/admin").to("shop/web", 80));
    assertThat(verdict.cilium().decision()).isEqualTo(Decision.DENY);
    assertThat(verdict.cilium().reason())
        .contains("lookup of istiod.istio-system.svc by shop/waypoint-0");
  }

  /** {@code m} with the egress elements {@code element} selects removed from {@code which}. */
  private static Manifest without(
      Manifest m, Predicate<Resource> which, Predicate<JsonNode> element) {
    List<Resource> out = new ArrayList<>();
    for (Resource r : m.resources()) {
      if (!which.test(r)) {
        out.add(r);
        continue;
      }
      ObjectNode doc = r.document().deepCopy();
      ArrayNode egress = (ArrayNode) doc.path("spec").path("egress");
      for (Iterator<JsonNode> it = egress.iterator(); it.hasNext(); ) {
        if (element.test(it.next())) {
          it.remove();
        }
      }
      out.add(Resource.of(doc));
    }
    return Manifest.of(out, m.requiredLabels());
  }

  // ---------------------------------------------------------------- shared service accounts

  @Test
  void exactnessToleratesExactlyTheEdgesOfASharedIdentity() {
    Topology t =
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("web").serviceAccount("default").dependsOn("api").outbound())
            .add(service("worker").serviceAccount("default").port("http", 8080))
            .add(service("cron").port("http", 8080))
            .add(service("other/web").serviceAccount("default"))
            .add(
                service("api")
                    .port("http", 80, 8080)
                    .port("admin", 9000)
                    .dependsOn("web")
                    .inbound())
            .build()
            .resolve()
            .orThrow();
    Manifest c = CiliumRenderer.create().render(t);
    Manifest i = IstioRenderer.create().render(t);
    Verifier v = Verifier.of(t, c, i);
    // worker is web at L7: api's ztunnel admits the shared principal; Cilium keeps it out
    Verdict worker = v.check(Query.from("shop/worker").to("shop/api", 80));
    assertThat(worker.istio().decision()).isEqualTo(Decision.ALLOW);
    assertThat(worker.cilium().decision()).isEqualTo(Decision.DENY);
    // a "default" account of another namespace is another identity
    assertThat(v.check(Query.from("other/web").to("shop/api", 80)).istio().decision())
        .isEqualTo(Decision.DENY);

    Exactness e = Exactness.of(t, v).all();
    assertThat(e.problems()).isEmpty();
    // worker -> api on http and admin: the two edges the shared identity opens at L7, no more
    assertThat(e.seen()).containsEntry("L7 tolerated, shared identity", 2);

    // and no other: a policy that also admitted the same account of another namespace, or a
    // service of another account, is caught
    for (String stranger : List.of("other/sa/default", "shop/sa/cron")) {
      Manifest widened = admitAlso(i, "api-ztunnel", "cluster.local/ns/" + stranger);
      Exactness w = Exactness.of(t, Verifier.of(t, c, widened)).serviceToService();
      assertThat(w.problems())
          .as("a policy admitting %s", stranger)
          .anyMatch(p -> p.startsWith("undeclared edge") && p.contains("allowed by Istio alone"));
    }
  }

  /** {@code m} with {@code principal} added to the first rule of the AuthorizationPolicy. */
  private static Manifest admitAlso(Manifest m, String policy, String principal) {
    List<Resource> out = new ArrayList<>();
    for (Resource r : m.resources()) {
      if (r.kind().equals("AuthorizationPolicy") && r.name().equals(policy)) {
        ObjectNode doc = r.document().deepCopy();
        ((ArrayNode) doc.at("/spec/rules/0/from/0/source/principals")).add(principal);
        out.add(Resource.of(doc));
      } else {
        out.add(r);
      }
    }
    return Manifest.of(out, m.requiredLabels());
  }
}
