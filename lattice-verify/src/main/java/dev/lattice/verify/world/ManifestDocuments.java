package dev.lattice.verify.world;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.model.Protocol;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the world reads from rendered documents: the waypoint {@code Gateway}s (class {@code
 * istio-waypoint}) and the {@code ServiceEntry}s, sorted by namespace and name.
 */
record ManifestDocuments(List<JsonNode> gateways, List<MeshServiceEntry> serviceEntries) {

  static ManifestDocuments read(List<JsonNode> documents) {
    List<JsonNode> gateways = new ArrayList<>();
    List<MeshServiceEntry> entries = new ArrayList<>();
    for (JsonNode d : documents) {
      String kind = d.path("kind").asText("");
      String api = d.path("apiVersion").asText("");
      if ("Gateway".equals(kind)
          && api.startsWith("gateway.networking.k8s.io/")
          && "istio-waypoint".equals(d.path("spec").path("gatewayClassName").asText(""))) {
        gateways.add(d);
      } else if ("ServiceEntry".equals(kind) && api.startsWith("networking.istio.io/")) {
        entries.add(serviceEntry(d));
      }
    }
    entries.sort(
        Comparator.comparing(MeshServiceEntry::namespace).thenComparing(MeshServiceEntry::name));
    return new ManifestDocuments(List.copyOf(gateways), List.copyOf(entries));
  }

  private static MeshServiceEntry serviceEntry(JsonNode d) {
    JsonNode md = d.path("metadata");
    JsonNode spec = d.path("spec");
    List<String> hosts = new ArrayList<>();
    spec.path("hosts").forEach(h -> hosts.add(h.asText()));
    List<MeshServiceEntry.SePort> ports = new ArrayList<>();
    for (JsonNode p : spec.path("ports")) {
      String proto = p.path("protocol").asText("TCP").toUpperCase(Locale.ROOT);
      ports.add(
          new MeshServiceEntry.SePort(
              p.path("number").asInt(),
              p.path("name").asText(""),
              "UDP".equals(proto) ? Protocol.UDP : Protocol.TCP));
    }
    Map<String, String> labels = new TreeMap<>();
    md.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    List<String> exportTo = new ArrayList<>();
    spec.path("exportTo").forEach(e -> exportTo.add(e.asText()));
    return new MeshServiceEntry(
        md.path("namespace").asText("default"),
        md.path("name").asText(),
        hosts,
        ports,
        labels,
        exportTo);
  }
}
