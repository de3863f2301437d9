package dev.lattice.verify.diff;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.verify.Verifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rendered documents a side holds, as {@link Affected} sees them: keyed by list, kind,
 * namespace and name, sorted into the kinds whose reach it narrows, and whether any
 * AuthorizationPolicy matches addresses.
 */
final class ChangedDocs {
  private ChangedDocs() {}

  enum DocKind {
    CILIUM,
    ISTIO,
    WORLD,
    SERVICE_ENTRY,
    OTHER
  }

  static DocKind kindOf(JsonNode d) {
    String api = d.path("apiVersion").asText("");
    String kind = d.path("kind").asText("");
    // narrowed: namespaced Cilium policies and AuthorizationPolicies, by what they select or
    // attach to; Gateways and ServiceEntries through the worlds. Cluster-wide Cilium policies and
    // PeerAuthentications are OTHER: a change of one judges everything.
    if (api.startsWith("cilium.io/") && kind.equals("CiliumNetworkPolicy")) {
      return DocKind.CILIUM;
    }
    if (api.startsWith("security.istio.io/") && kind.equals("AuthorizationPolicy")) {
      return DocKind.ISTIO;
    }
    if (api.startsWith("gateway.networking.k8s.io/") && kind.equals("Gateway")) {
      return DocKind.WORLD;
    }
    if (api.startsWith("networking.istio.io/") && kind.equals("ServiceEntry")) {
      return DocKind.SERVICE_ENTRY;
    }
    return DocKind.OTHER;
  }

  /** A side's documents by (list, apiVersion, kind, namespace, name); a name may repeat. */
  static Map<String, List<JsonNode>> index(Verifier v) {
    Map<String, List<JsonNode>> out = new LinkedHashMap<>();
    add(out, "cilium", v.ciliumDocuments());
    add(out, "istio", v.istioDocuments());
    return out;
  }

  private static void add(Map<String, List<JsonNode>> out, String list, List<JsonNode> docs) {
    for (JsonNode d : docs) {
      JsonNode md = d.path("metadata");
      String k =
          d.path("kind").asText("")
              + " "
              + md.path("namespace").asText("")
              + "/"
              + md.path("name").asText("")
              + " ("
              + d.path("apiVersion").asText("")
              + ", "
              + list
              + ")";
      out.computeIfAbsent(k, x -> new ArrayList<>(1)).add(d);
    }
  }

  /**
   * Whether some AuthorizationPolicy matches addresses ({@code ipBlocks}, {@code remoteIpBlocks}
   * and their negations, or the {@code source.ip}, {@code remote.ip}, {@code destination.ip} keys),
   * which makes pod and ClusterIP addresses part of what the Istio evaluator reads.
   */
  static boolean matchesAddresses(Verifier v) {
    for (List<JsonNode> docs : List.of(v.ciliumDocuments(), v.istioDocuments())) {
      for (JsonNode d : docs) {
        if (d.path("kind").asText("").equals("AuthorizationPolicy") && mentionsAddresses(d)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean mentionsAddresses(JsonNode n) {
    if (n.isTextual()) {
      String t = n.asText();
      return t.equals("source.ip") || t.equals("remote.ip") || t.equals("destination.ip");
    }
    if (n.isObject()) {
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        if (e.getKey().toLowerCase(Locale.ROOT).endsWith("ipblocks")
            || mentionsAddresses(e.getValue())) {
          return true;
        }
      }
      return false;
    }
    for (JsonNode c : n) {
      if (mentionsAddresses(c)) {
        return true;
      }
    }
    return false;
  }
}
