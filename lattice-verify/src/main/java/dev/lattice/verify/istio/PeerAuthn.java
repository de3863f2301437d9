package dev.lattice.verify.istio;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** A parsed {@code PeerAuthentication}: its scope, mode and port-level modes (container ports). */
final class PeerAuthn {
  enum Mode {
    UNSET,
    DISABLE,
    PERMISSIVE,
    STRICT
  }

  final String namespace;
  final String name;
  final String created;

  /** Null when it has no selector (or an empty one): namespace- or mesh-level. */
  final Map<String, String> selector;

  final Mode mode;
  final Map<Integer, Mode> portLevel;

  private PeerAuthn(
      String namespace,
      String name,
      String created,
      Map<String, String> selector,
      Mode mode,
      Map<Integer, Mode> portLevel) {
    this.namespace = namespace;
    this.name = name;
    this.created = created;
    this.selector = selector;
    this.mode = mode;
    this.portLevel = portLevel;
  }

  static boolean isPeerAuthentication(JsonNode d) {
    return "PeerAuthentication".equals(d.path("kind").asText())
        && d.path("apiVersion").asText("").startsWith("security.istio.io/");
  }

  static PeerAuthn parse(JsonNode d) {
    JsonNode md = d.path("metadata");
    JsonNode spec = d.path("spec");
    Map<String, String> sel = new TreeMap<>();
    spec.path("selector")
        .path("matchLabels")
        .properties()
        .forEach(e -> sel.put(e.getKey(), e.getValue().asText()));
    Map<Integer, Mode> ports = new TreeMap<>();
    spec.path("portLevelMtls")
        .properties()
        .forEach(
            e -> {
              try {
                ports.put(Integer.parseInt(e.getKey()), mode(e.getValue()));
              } catch (NumberFormatException ignored) {
                // a non-numeric key is not a port; the API server rejects it anyway
              }
            });
    return new PeerAuthn(
        md.path("namespace").asText("default"),
        md.path("name").asText(""),
        md.path("creationTimestamp").asText(""),
        sel.isEmpty() ? null : sel,
        mode(spec.path("mtls")),
        ports);
  }

  private static Mode mode(JsonNode mtls) {
    String m = mtls.path("mode").asText("UNSET").toUpperCase(Locale.ROOT);
    try {
      return Mode.valueOf(m);
    } catch (IllegalArgumentException e) {
      return Mode.UNSET;
    }
  }

  String ref() {
    return "PeerAuthentication " + namespace + "/" + name;
  }

  /** Older first; without timestamps (rendered documents), by namespace and name. */
  static int oldestFirst(PeerAuthn a, PeerAuthn b) {
    int c = a.created.compareTo(b.created);
    if (c != 0) {
      return c;
    }
    c = a.namespace.compareTo(b.namespace);
    return c != 0 ? c : a.name.compareTo(b.name);
  }

  @Override
  public String toString() {
    return ref();
  }
}
