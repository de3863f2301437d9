package dev.lattice.cilium;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.output.CompactNodeFactory;
import dev.lattice.output.Labels;
import dev.lattice.output.Resource;
import dev.lattice.output.ResourceNames;
import java.util.Map;
import java.util.TreeMap;

/** The envelope of the documents this module writes: kind, name, namespace, labels (DESIGN §8). */
final class Documents {
  static final String GROUP = "cilium.io";
  static final String API_VERSION = GROUP + "/v2";
  static final String CNP = "CiliumNetworkPolicy";
  static final String CCNP = "CiliumClusterwideNetworkPolicy";

  private Documents() {}

  /**
   * A CiliumNetworkPolicy {@code name} in {@code namespace} selecting {@code podLabels} (never a
   * namespace key: Cilium adds the policy's namespace itself, C7), labelled as belonging to {@code
   * service} when that is not null.
   */
  static Resource namespaced(
      String namespace, String name, String service, Map<String, String> podLabels, RuleSet rules) {
    ObjectNode doc = envelope(CNP, name, service);
    ((ObjectNode) doc.get("metadata")).put("namespace", namespace);
    ObjectNode spec = doc.putObject("spec");
    ObjectNode matchLabels = spec.putObject("endpointSelector").putObject("matchLabels");
    new TreeMap<>(podLabels).forEach(matchLabels::put);
    rules.writeTo(spec);
    return Resource.of(doc);
  }

  /** A CiliumClusterwideNetworkPolicy {@code name} with an empty spec for the caller to fill. */
  static ObjectNode clusterwide(String name) {
    ObjectNode doc = envelope(CCNP, name, null);
    doc.putObject("spec");
    return doc;
  }

  private static ObjectNode envelope(String kind, String name, String service) {
    ObjectNode doc = CompactNodeFactory.INSTANCE.objectNode();
    doc.put("apiVersion", API_VERSION);
    doc.put("kind", kind);
    ObjectNode metadata = doc.putObject("metadata");
    metadata.put("name", ResourceNames.fit(name, ResourceNames.SUBDOMAIN_LIMIT));
    ObjectNode labels = metadata.putObject("labels");
    labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
    if (service != null) {
      labels.put(Labels.SERVICE, service);
    }
    return doc;
  }
}
