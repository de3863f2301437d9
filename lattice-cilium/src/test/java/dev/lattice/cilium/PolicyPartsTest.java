package dev.lattice.cilium;

import static dev.lattice.dsl.Lattice.service;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.graph.TopologyUpdate;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.output.Manifest;
import dev.lattice.output.ManifestUpdate;
import dev.lattice.output.Resource;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A wildcard caller at scale calls every service: its one policy would outgrow what the API server
 * accepts, so it is written in parts that Cilium unions, each within the budget.
 */
class PolicyPartsTest {
  private static final int BUDGET = 8192;
  private static final CiliumRenderer SMALL =
      CiliumRenderer.create(CiliumOptions.builder().maxDocumentBytes(BUDGET).build());

  private static ServiceGraph scraped(int services) {
    ServiceGraph.Builder g = ServiceGraph.builder().namespace("apps");
    g.add(service("ops/scraper").dependsOn("*").ports("metrics").outbound());
    for (int i = 0; i < services; i++) {
      g.add(
          service("svc" + i)
              .port("http", 80)
              .port("metrics", 9090)
              .dependsOn("ops/scraper")
              .ports("metrics")
              .inbound());
    }
    return g.build();
  }

  private static List<Resource> scraperPolicies(Manifest m) {
    return m.resources().stream()
        .filter(r -> r.namespace().equals("ops") && Documents.owner(r.name()).equals("scraper"))
        .toList();
  }

  @Test
  void largePolicyIsSplitIntoNamedPartsWithinTheBudget() {
    Topology t = scraped(120).resolve();

    List<Resource> parts = scraperPolicies(SMALL.render(t));

    assertThat(parts).hasSizeGreaterThan(3);
    // the first part keeps the policy's name; each other is named by its first element's hash
    assertThat(parts.get(0).name()).isEqualTo("scraper");
    assertThat(parts.subList(1, parts.size()))
        .extracting(Resource::name)
        .allMatch(n -> n.matches("scraper\\.[0-9a-f]{8}"))
        .doesNotHaveDuplicates();
    for (Resource r : parts) {
      assertThat(r.toYaml().length()).as(r.name()).isLessThanOrEqualTo(BUDGET * 5 / 4);
      assertThat(r.document().path("spec").path("endpointSelector"))
          .isEqualTo(parts.get(0).document().path("spec").path("endpointSelector"));
      assertThat(r.document().path("metadata").path("labels").path("lattice.dev/service").asText())
          .isEqualTo("scraper");
    }
  }

  @Test
  void thePartsAllowExactlyWhatOnePolicyAllows() {
    Topology t = scraped(120).resolve();
    List<Resource> whole = scraperPolicies(CiliumRenderer.create().render(t));
    List<Resource> parts = scraperPolicies(SMALL.render(t));

    assertThat(whole).hasSize(1);
    assertThat(rules(parts, "egress", false)).isEqualTo(rules(whole, "egress", false));
    assertThat(rules(parts, "egress", true)).isEqualTo(rules(whole, "egress", true));
    assertThat(rules(parts, "ingress", false)).isEqualTo(rules(whole, "ingress", false));
  }

  /** The non-DNS elements (as text), or the DNS names allowed, over all documents. */
  private static Set<String> rules(List<Resource> docs, String section, boolean dnsNames) {
    Set<String> out = new TreeSet<>();
    for (Resource r : docs) {
      for (JsonNode element : r.document().path("spec").path(section)) {
        JsonNode dns = element.path("toPorts").path(0).path("rules").path("dns");
        if (dns.isMissingNode() == dnsNames) {
          continue;
        }
        if (dnsNames) {
          dns.forEach(n -> out.add(n.toString()));
        } else {
          out.add(element.toString());
        }
      }
    }
    return out;
  }

  @Test
  void renderServiceReturnsEveryPart() {
    Topology t = scraped(120).resolve();

    assertThat(SMALL.renderService(t, ServiceId.of("ops", "scraper")))
        .containsExactlyInAnyOrderElementsOf(scraperPolicies(SMALL.render(t)));
  }

  @Test
  void anUpdateReplacesEveryPartAndRemovesThoseNoLongerNeeded() {
    Topology before = scraped(120).resolve();
    Manifest applied = SMALL.render(before);
    List<Service> shrink = new java.util.ArrayList<>();
    for (int i = 30; i < 120; i++) {
      shrink.add(service("apps/svc" + i).port("http", 80).port("metrics", 9090).build());
    }

    TopologyUpdate u = before.update(shrink, List.of());
    ManifestUpdate m = SMALL.update(applied, u);

    Manifest full = SMALL.render(u.topology());
    assertThat(m.manifest().toYaml()).isEqualTo(full.toYaml());
    assertThat(scraperPolicies(full).size()).isLessThan(scraperPolicies(applied).size());
    assertThat(m.diff().deletes())
        .extracting(k -> k.name())
        .anyMatch(n -> n.startsWith("scraper."));
  }

  @Test
  void twoPartsWhoseFirstElementsShareAHashGetDistinctNames() {
    Set<String> taken = new HashSet<>();
    assertThat(Documents.partName("hub", 0x00ab12cd, 1, taken)).isEqualTo("hub.00ab12cd");
    assertThat(Documents.partName("hub", 0xfedcba98, 2, taken)).isEqualTo("hub.fedcba98");
    assertThat(Documents.partName("hub", 0x00ab12cd, 3, taken)).isEqualTo("hub.00ab12cd-3");
    assertThat(taken).containsExactlyInAnyOrder("hub.00ab12cd", "hub.fedcba98", "hub.00ab12cd-3");
  }
}
