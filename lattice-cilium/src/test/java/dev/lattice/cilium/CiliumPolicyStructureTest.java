package dev.lattice.cilium;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.graph.Topology;
import dev.lattice.graph.Waypoint;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.output.Resource;
import dev.lattice.testkit.Corpus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Properties of every rendered policy that are easy to get wrong and that Cilium punishes hard: a
 * mixed element rejects the whole policy (R1), a plain port-53 rule lifts the DNS filter (C13), a
 * peer selector without namespace silently means the policy's own namespace (C7), and HBONE rules
 * outside ambient pairs open 15008 where no mesh traffic flows. Checked over every example case.
 */
class CiliumPolicyStructureTest {
  private static final Set<String> PEER_FIELDS =
      Set.of(
          "fromEndpoints",
          "fromCIDR",
          "fromCIDRSet",
          "fromEntities",
          "fromNodes",
          "fromGroups",
          "toEndpoints",
          "toCIDR",
          "toCIDRSet",
          "toEntities",
          "toNodes",
          "toGroups",
          "toServices",
          "toFQDNs");

  @TestFactory
  Stream<DynamicTest> everyCase() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String c : Corpus.cases()) {
      Topology t = Corpus.topology(c);
      List<Resource> resources = CiliumRenderer.create().render(t).resources();
      tests.add(
          test(c, "no element mixes peer kinds", () -> eachElement(resources, this::onePeerKind)));
      tests.add(
          test(
              c,
              "namespace explicit in every peer selector",
              () -> eachElement(resources, this::namespacedPeers)));
      tests.add(
          test(c, "no namespace key in a CNP subject", () -> subjectsWithoutNamespace(resources)));
      tests.add(
          test(
              c,
              "no port-53 rule to kube-dns without rules.dns",
              () -> eachElement(resources, e -> dnsAlwaysFiltered(t, e))));
      tests.add(
          test(
              c,
              "HBONE only between ambient pairs, only TCP",
              () -> hboneOnlyBetweenAmbientPairs(t, resources)));
      tests.add(
          test(
              c, "only allow rules, no L7, no requirements", () -> onlyPlainAllowRules(resources)));
      tests.add(
          test(
              c,
              "ports are well-formed and at most 40 per list",
              () -> eachElement(resources, this::wellFormedPorts)));
    }
    return tests.stream();
  }

  private static DynamicTest test(String caseName, String property, Runnable check) {
    return DynamicTest.dynamicTest(caseName + ": " + property, check::run);
  }

  // ------------------------------------------------------------------ properties

  private void onePeerKind(JsonNode element) {
    List<String> kinds = peerFields(element);
    if (kinds.isEmpty()) {
      // only the default deny's empty elements: they allow nothing (C12)
      assertThat(element.size()).as("element without peer: %s", element).isZero();
    } else {
      assertThat(kinds).as("peer kinds of %s", element).hasSize(1);
    }
  }

  private void namespacedPeers(JsonNode element) {
    for (String f : List.of("fromEndpoints", "toEndpoints")) {
      for (JsonNode selector : element.path(f)) {
        assertThat(selector.path("matchLabels").path(Peer.NAMESPACE_LABEL).isTextual())
            .as("namespace label in %s", selector)
            .isTrue();
      }
    }
  }

  private static void subjectsWithoutNamespace(List<Resource> resources) {
    for (Resource r : resources) {
      if (r.kind().equals(Documents.CNP)) {
        JsonNode selector = r.document().path("spec").path("endpointSelector");
        selector
            .path("matchLabels")
            .fieldNames()
            .forEachRemaining(
                k ->
                    assertThat(k)
                        .as("subject of %s", r)
                        .doesNotContain("io.kubernetes.pod.namespace"));
        assertThat(selector.has("matchExpressions")).as("subject of %s", r).isFalse();
      }
    }
  }

  private void dnsAlwaysFiltered(Topology t, JsonNode element) {
    Map<String, String> kubeDns = new TreeMap<>(t.settings().kubeDnsSelector());
    kubeDns.put(Peer.NAMESPACE_LABEL, t.settings().kubeDnsNamespace());
    boolean toKubeDns = false;
    for (JsonNode selector : element.path("toEndpoints")) {
      toKubeDns |= labels(selector).equals(kubeDns);
    }
    if (!toKubeDns) {
      return;
    }
    assertThat(element.has("toPorts")).as("kube-dns element %s", element).isTrue();
    for (JsonNode toPorts : element.path("toPorts")) {
      for (JsonNode port : toPorts.path("ports")) {
        if (port.path("port").asText().equals("53")) {
          assertThat(toPorts.path("rules").path("dns").size())
              .as("DNS names of %s", element)
              .isPositive();
        }
      }
    }
  }

  private static void hboneOnlyBetweenAmbientPairs(Topology t, List<Resource> resources) {
    Map<Map<String, String>, Service> byPods = new HashMap<>();
    for (Service s : t.services()) {
      Map<String, String> key = new TreeMap<>(s.selector());
      key.put(Peer.NAMESPACE_LABEL, s.namespace());
      byPods.put(key, s);
    }
    for (Resource r : resources) {
      if (!r.kind().equals(Documents.CNP)) {
        continue;
      }
      JsonNode spec = r.document().path("spec");
      boolean subjectIsWaypoint =
          spec.path("endpointSelector").path("matchLabels").has(Peer.GATEWAY_NAME_LABEL);
      boolean subjectAmbient =
          subjectIsWaypoint
              || t.service(ServiceId.of(r.namespace(), r.name()))
                  .map(Service::isAmbient)
                  .orElseThrow();
      for (String direction : List.of("ingress", "egress")) {
        for (JsonNode element : spec.path(direction)) {
          for (JsonNode toPorts : element.path("toPorts")) {
            for (JsonNode port : toPorts.path("ports")) {
              if (!port.path("port").asText().equals("15008")) {
                continue;
              }
              assertThat(port.path("protocol").asText()).as("15008 in %s", r).isEqualTo("TCP");
              assertThat(subjectAmbient).as("%s is not ambient but has 15008", r).isTrue();
              JsonNode peers =
                  element.path(direction.equals("ingress") ? "fromEndpoints" : "toEndpoints");
              assertThat(peers.size()).as("15008 peer of %s: %s", r, element).isPositive();
              for (JsonNode selector : peers) {
                Map<String, String> labels = labels(selector);
                if (labels.containsKey(Peer.GATEWAY_NAME_LABEL)) {
                  assertThat(subjectIsWaypoint).as("waypoint to waypoint in %s", r).isFalse();
                  assertThat(isWaypoint(t, labels)).as("known waypoint %s", labels).isTrue();
                } else {
                  Service peer = byPods.get(labels);
                  assertThat(peer).as("15008 peer %s of %s is a service", labels, r).isNotNull();
                  assertThat(peer.isAmbient())
                      .as("15008 peer %s of %s is ambient", labels, r)
                      .isTrue();
                }
              }
            }
          }
        }
      }
    }
  }

  private static boolean isWaypoint(Topology t, Map<String, String> labels) {
    for (Waypoint w : t.waypoints()) {
      if (w.name().equals(labels.get(Peer.GATEWAY_NAME_LABEL))
          && w.namespace().equals(labels.get(Peer.NAMESPACE_LABEL))) {
        return true;
      }
    }
    return false;
  }

  private static void onlyPlainAllowRules(List<Resource> resources) {
    for (Resource r : resources) {
      JsonNode spec = r.document().path("spec");
      assertThat(spec.has("ingressDeny") || spec.has("egressDeny")).as("deny in %s", r).isFalse();
      assertThat(spec.has("ingress") || spec.has("egress")).as("a rule section in %s", r).isTrue();
      for (String direction : List.of("ingress", "egress")) {
        for (JsonNode element : spec.path(direction)) {
          assertThat(element.has("fromRequires") || element.has("toRequires"))
              .as("requirements in %s", r)
              .isFalse();
          for (JsonNode toPorts : element.path("toPorts")) {
            JsonNode rules = toPorts.path("rules");
            rules
                .fieldNames()
                .forEachRemaining(k -> assertThat(k).as("L7 in %s", r).isEqualTo("dns"));
          }
        }
      }
    }
  }

  private void wellFormedPorts(JsonNode element) {
    for (JsonNode toPorts : element.path("toPorts")) {
      JsonNode ports = toPorts.path("ports");
      assertThat(ports.size()).as("ports of %s", element).isBetween(1, 40);
      for (JsonNode port : ports) {
        assertThat(port.path("port").isTextual()).as("port %s is a string", port).isTrue();
        assertThat(Integer.parseInt(port.path("port").asText())).isBetween(1, 65535);
        assertThat(port.path("protocol").asText()).isIn("TCP", "UDP", "SCTP");
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  private static void eachElement(List<Resource> resources, Consumer<JsonNode> check) {
    for (Resource r : resources) {
      for (String direction : List.of("ingress", "egress")) {
        for (JsonNode element : r.document().path("spec").path(direction)) {
          check.accept(element);
        }
      }
    }
  }

  private static List<String> peerFields(JsonNode element) {
    List<String> out = new ArrayList<>();
    element
        .fieldNames()
        .forEachRemaining(
            f -> {
              if (PEER_FIELDS.contains(f)) {
                out.add(f);
              }
            });
    return out;
  }

  private static Map<String, String> labels(JsonNode selector) {
    Map<String, String> m = new TreeMap<>();
    selector
        .path("matchLabels")
        .fields()
        .forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }
}
