package dev.lattice.istio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.graph.ServiceView;
import dev.lattice.graph.Topology;
import dev.lattice.graph.Waypoint;
import dev.lattice.model.Service;
import dev.lattice.output.Labels;
import dev.lattice.output.Manifest;
import dev.lattice.output.Resource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Invariants every rendering must keep, whatever the graph (DESIGN §7, SEMANTICS). */
final class Structure {
  /** What ztunnel understands in a source (IZ2); anything else is an HTTP attribute. */
  private static final Set<String> L4_SOURCE =
      Set.of(
          "principals",
          "notPrincipals",
          "namespaces",
          "notNamespaces",
          "serviceAccounts",
          "notServiceAccounts",
          "ipBlocks",
          "notIpBlocks");

  /** What ztunnel understands in an operation (IZ2). */
  private static final Set<String> L4_OPERATION = Set.of("ports", "notPorts");

  private static final Set<String> L4_WHEN =
      Set.of(
          "source.ip",
          "source.namespace",
          "source.principal",
          "destination.ip",
          "destination.port");

  private Structure() {}

  /** Checks every invariant of {@code manifest}, rendered from {@code topology}. */
  static void check(Topology topology, Manifest manifest) {
    for (Resource r : manifest.resources()) {
      JsonNode labels = r.document().path("metadata").path("labels");
      assertThat(labels.path(Labels.MANAGED_BY).asText())
          .as("%s managed-by", r)
          .isEqualTo("lattice");
      noTrustDomains(r, r.document());
      if (r.kind().equals("AuthorizationPolicy")) {
        checkPolicy(r);
      }
    }
    checkWaypointPairs(topology, manifest);
  }

  private static void checkPolicy(Resource r) {
    JsonNode spec = r.document().path("spec");
    boolean selector = spec.has("selector");
    boolean targetRefs = spec.has("targetRefs");
    assertThat(selector && targetRefs).as("%s has both selector and targetRefs", r).isFalse();
    assertThat(spec.has("targetRef")).as("%s uses the legacy targetRef", r).isFalse();
    for (JsonNode rule : spec.path("rules")) {
      for (JsonNode from : rule.path("from")) {
        JsonNode source = from.path("source");
        for (String field : List.of("principals", "notPrincipals")) {
          if (source.has(field)) {
            assertThat(source.get(field)).as("%s %s", r, field).isNotEmpty();
            source
                .get(field)
                .forEach(p -> assertThat(p.asText()).as("%s principal", r).isNotEmpty());
          }
        }
      }
      for (JsonNode to : rule.path("to")) {
        for (JsonNode port : to.path("operation").path("ports")) {
          assertThat(port.isTextual()).as("%s port %s is a string", r, port).isTrue();
          assertThat(Integer.parseInt(port.asText())).as("%s port", r).isBetween(1, 65535);
        }
      }
      if (!targetRefs) {
        // enforced by ztunnel (IZ1): an HTTP attribute would drop the rule (IZ3)
        assertThat(httpAttributes(rule)).as("HTTP attributes in ztunnel policy %s", r).isEmpty();
      }
    }
    boolean allWaypoints =
        targetRefs && spec.get("targetRefs").get(0).path("kind").asText().equals("GatewayClass");
    if (selector || (targetRefs && !allWaypoints)) {
      // only the mesh-wide defaults allow nothing; an empty ALLOW elsewhere would deny (I2)
      assertThat(spec.path("rules")).as("%s allows something", r).isNotEmpty();
    }
  }

  /** The HTTP attributes a rule uses, by field name. */
  static List<String> httpAttributes(JsonNode rule) {
    List<String> out = new ArrayList<>();
    for (JsonNode from : rule.path("from")) {
      fieldNames(from.path("source")).stream()
          .filter(f -> !L4_SOURCE.contains(f))
          .forEach(out::add);
    }
    for (JsonNode to : rule.path("to")) {
      fieldNames(to.path("operation")).stream()
          .filter(f -> !L4_OPERATION.contains(f))
          .forEach(out::add);
    }
    for (JsonNode when : rule.path("when")) {
      if (!L4_WHEN.contains(when.path("key").asText())) {
        out.add(when.path("key").asText());
      }
    }
    return out;
  }

  /**
   * Every policy a waypoint enforces for a Service has, beside it, a selector policy on the same
   * service that admits only the waypoint's identity (plus identity-less sources): IW1, IZ5, R5.
   */
  private static void checkWaypointPairs(Topology topology, Manifest manifest) {
    Map<String, Resource> selectorPolicies = new TreeMap<>();
    List<Resource> servicePolicies = new ArrayList<>();
    for (Resource r : manifest.resources()) {
      if (!r.kind().equals("AuthorizationPolicy")) {
        continue;
      }
      JsonNode spec = r.document().path("spec");
      if (spec.has("selector")) {
        String service = r.document().path("metadata").path("labels").path(Labels.SERVICE).asText();
        selectorPolicies.put(r.namespace() + "/" + service, r);
      }
      for (JsonNode ref : spec.path("targetRefs")) {
        if (ref.path("kind").asText().equals("Service")) {
          assertThat(ref.path("group").asText()).isEmpty();
          servicePolicies.add(r);
        }
      }
    }
    for (Resource r : servicePolicies) {
      String name = r.document().path("spec").path("targetRefs").get(0).path("name").asText();
      ServiceView view =
          topology.view(dev.lattice.model.ServiceId.of(r.namespace(), name)).orElseThrow();
      assertThat(view.waypoint()).as("%s targets a service behind a waypoint", r).isPresent();
      Waypoint w = view.waypoint().get();
      Resource pair = selectorPolicies.get(r.namespace() + "/" + name);
      assertThat(pair).as("selector policy paired with %s", r).isNotNull();
      Service s = view.service();
      Map<String, String> selector = new TreeMap<>();
      pair.document()
          .path("spec")
          .path("selector")
          .path("matchLabels")
          .properties()
          .forEach(e -> selector.put(e.getKey(), e.getValue().asText()));
      assertThat(selector).as("%s selects the service's pods", pair).isEqualTo(s.selector());
      Set<String> admitted = new HashSet<>();
      for (JsonNode rule : pair.document().path("spec").path("rules")) {
        JsonNode source = rule.path("from").get(0).path("source");
        if (source.has("principals")) {
          source.get("principals").forEach(p -> admitted.add(p.asText()));
        } else {
          assertThat(source.path("notPrincipals").toString()).isEqualTo("[\"*\"]");
        }
      }
      // the waypoint, and the mesh callers that dial the pods and so never pass it (R5)
      Set<String> expected = new HashSet<>();
      expected.add(topology.settings().principal(w.namespace(), w.serviceAccount()));
      for (dev.lattice.graph.Agreement a : view.inbound()) {
        Service caller = topology.service(a.caller()).orElseThrow();
        if (a.byPodIp()
            && caller.isAmbient()
            && a.ports().stream().anyMatch(p -> p.protocol().isMeshCaptured())) {
          expected.add(topology.settings().principal(caller.namespace(), caller.serviceAccount()));
        }
      }
      assertThat(admitted)
          .as("%s admits only the waypoint and the pod-IP callers", pair)
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  private static void noTrustDomains(Resource r, JsonNode node) {
    if (node.isObject()) {
      assertThat(node.has("trustDomains") || node.has("notTrustDomains"))
          .as("%s renders trustDomains (R6)", r)
          .isFalse();
    }
    node.forEach(child -> noTrustDomains(r, child));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
