package dev.lattice.verify.world;

import static dev.lattice.dsl.Lattice.cidr;
import static dev.lattice.dsl.Lattice.clients;
import static dev.lattice.dsl.Lattice.fqdn;
import static dev.lattice.dsl.Lattice.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.model.IpPrefix;
import dev.lattice.model.Settings;
import dev.lattice.output.RequiredLabel;
import dev.lattice.verify.Docs;
import dev.lattice.verify.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorldTest {
  private static final String GATEWAY =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: waypoint, namespace: shop}
      spec:
        gatewayClassName: istio-waypoint
        listeners: [{name: mesh, port: 15008, protocol: HBONE}]
      """;

  private static Topology withWaypoint(Settings settings) {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(service("web").port("http", 8080).dependsOn("api").outbound())
        .add(service("api").port("http", 80, 8080).dependsOn("web").http("GET", "/api/*").inbound())
        .build()
        .resolve(settings);
  }

  @Test
  void podsCarryTheirSelectorAServiceAccountAndATemplateHashCiliumIgnores() {
    World w = World.of(Fixtures.shop());
    Peer web = w.service("shop/web").orElseThrow().pod();
    assertThat(web.labels())
        .containsEntry("app.kubernetes.io/name", "web")
        .containsKey("pod-template-hash");
    assertThat(web.serviceAccount()).isEqualTo("web");
    assertThat(web.isCaptured()).isTrue();
    assertThat(web.principal()).contains("cluster.local/ns/shop/sa/web");
    assertThat(web.identity())
        .containsEntry("k8s:app.kubernetes.io/name", "web")
        .containsEntry("k8s:io.kubernetes.pod.namespace", "shop")
        .containsEntry("k8s:io.cilium.k8s.policy.serviceaccount", "web")
        .containsEntry("k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name", "shop")
        .doesNotContainKey("k8s:pod-template-hash");
    Peer legacy = w.service("shop/legacy").orElseThrow().pod();
    assertThat(legacy.isCaptured()).isFalse();
    assertThat(legacy.principal()).isEmpty();
    // shop mixes ambient and non-mesh services: ambient pods are labelled one by one
    assertThat(web.labels()).containsEntry(World.DATAPLANE_MODE, "ambient");
    assertThat(w.namespaceLabels("data")).containsEntry(World.DATAPLANE_MODE, "ambient");
  }

  @Test
  void servicesMapServicePortsToTargetPortsAndContainerPortsAreNamed() {
    World w = World.of(Fixtures.shop());
    KubeService api = w.service("shop/api").orElseThrow();
    assertThat(api.port(80, null))
        .get()
        .extracting(KubeService.ServicePort::targetPort)
        .isEqualTo(8080);
    assertThat(api.pod().namedPort("http", null))
        .get()
        .extracting(Peer.ContainerPort::number)
        .isEqualTo(8080);
    assertThat(api.replica().identity()).isEqualTo(api.pod().identity());
    assertThat(api.replica().ip()).isNotEqualTo(api.pod().ip());
  }

  @Test
  void requiredLabelsAreAppliedUnlessWithheld() {
    RequiredLabel l =
        RequiredLabel.of("Service", "shop", "api", World.USE_WAYPOINT, "waypoint", "http rules");
    Topology t = withWaypoint(Settings.defaults());
    World applied =
        World.builder(t).documents(Docs.yaml(GATEWAY)).requiredLabels(List.of(l)).build();
    KubeService api = applied.service("shop/api").orElseThrow();
    assertThat(api.labels()).containsEntry(World.USE_WAYPOINT, "waypoint");
    assertThat(applied.serviceWaypoint(api).waypoint()).isPresent();
    World withheld =
        World.builder(t)
            .documents(Docs.yaml(GATEWAY))
            .requiredLabels(List.of(l))
            .applyRequiredLabels(false)
            .build();
    KubeService bare = withheld.service("shop/api").orElseThrow();
    assertThat(bare.labels()).doesNotContainKey(World.USE_WAYPOINT);
    assertThat(withheld.serviceWaypoint(bare).waypoint()).isEmpty();
    assertThat(withheld.notes()).anyMatch(n -> n.startsWith("not applied (by choice)"));
  }

  @Test
  void waypointsComeFromRenderedGateways() {
    World w =
        World.builder(withWaypoint(Settings.defaults())).documents(Docs.yaml(GATEWAY)).build();
    WaypointProxy wp = w.waypoint("shop", "waypoint").orElseThrow();
    assertThat(wp.origin()).isEqualTo(WaypointProxy.Origin.GATEWAY);
    assertThat(wp.waypointFor()).isEqualTo("service");
    assertThat(wp.pod().labels())
        .containsEntry(World.GATEWAY_NAME, "waypoint")
        .containsEntry(World.DATAPLANE_MODE, "none");
    assertThat(wp.pod().serviceAccount()).isEqualTo("waypoint");
    assertThat(wp.pod().isCaptured()).isFalse();
    assertThat(wp.pod().principal()).contains("cluster.local/ns/shop/sa/waypoint");
  }

  @Test
  void missingGatewayMeansNoWaypointAndANote() {
    World w = World.of(withWaypoint(Settings.defaults()));
    assertThat(w.waypoints()).isEmpty();
    assertThat(w.notes()).anyMatch(n -> n.contains("no Gateway was rendered"));
  }

  @Test
  void waypointsFallBackToTheTopologyWhenGatewaysAreNotEmitted() {
    World w = World.of(withWaypoint(Settings.builder().emitWaypointGateways(false).build()));
    assertThat(w.waypoints())
        .singleElement()
        .satisfies(wp -> assertThat(wp.origin()).isEqualTo(WaypointProxy.Origin.TOPOLOGY));
  }

  @Test
  void dnsGivesStableExternalAddressesOutsideDeclaredCidrs() {
    Topology t =
        ServiceGraph.builder()
            .namespace("shop")
            .add(
                service("web")
                    .port("http", 8080)
                    .egressTo(fqdn("api.stripe.com").port(443), cidr("100.64.0.0/24").port(443)))
            .add(
                service("api")
                    .port("http", 8080, 8080)
                    .exposedTo(clients("198.51.100.0/24"))
                    .permissive())
            .build()
            .resolve();
    World w = World.of(t);
    String ip = w.dns().resolve("api.stripe.com").orElseThrow();
    assertThat(IpPrefix.parse("100.64.0.0/24").contains(ip)).isFalse();
    assertThat(World.of(t).dns().resolve("API.Stripe.com.")).contains(ip);
    assertThat(IpPrefix.parse("198.51.100.0/24").contains(w.internet().ip())).isFalse();
    assertThat(w.dns().resolve("web.shop.svc.cluster.local"))
        .contains(w.service("shop/web").orElseThrow().clusterIp());
    assertThat(w.dns().resolve("nope.shop.svc.cluster.local")).isEmpty();
    assertThat(w.dns().resolve("bucket.s3.amazonaws.com")).isPresent();
  }

  @Test
  void resolverSearchListFollowsNdotsFive() {
    Dns dns = World.of(Fixtures.shop()).dns();
    assertThat(dns.queries("api", "shop"))
        .containsExactly(
            "api.shop.svc.cluster.local", "api.svc.cluster.local", "api.cluster.local", "api");
    assertThat(dns.queries("a.b.c.d.e.f", "shop")).first().isEqualTo("a.b.c.d.e.f");
    assertThat(dns.queries("api.stripe.com.", "shop")).containsExactly("api.stripe.com");
  }

  @Test
  void outsidePeersHaveReservedIdentities() {
    World w = World.of(Fixtures.shop());
    assertThat(w.internet().identity()).containsOnlyKeys("reserved:world");
    assertThat(w.probeSource().ip()).isEqualTo(World.PROBE_SOURCE);
    assertThat(w.probeSource().identity()).containsOnlyKeys("reserved:world");
    assertThat(w.kubeApiserver().identity())
        .containsOnlyKeys("reserved:kube-apiserver", "reserved:world");
    assertThat(w.host().identity()).containsOnlyKeys("reserved:host");
    assertThat(w.peerAt(w.service("shop/web").orElseThrow().pod().ip()).name())
        .isEqualTo("shop/web-0");
    assertThat(w.kubeDns().labels()).containsEntry("k8s-app", "kube-dns");
    assertThat(w.istiod().namespace()).isEqualTo("istio-system");
  }

  @Test
  void theSameInputsGiveTheSameWorld() {
    assertThat(World.of(Fixtures.shop()).describe())
        .isEqualTo(World.of(Fixtures.shop()).describe());
  }
}
