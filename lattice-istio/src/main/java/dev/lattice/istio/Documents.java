package dev.lattice.istio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.output.CompactNodeFactory;
import dev.lattice.output.Labels;
import dev.lattice.output.Resource;
import dev.lattice.output.ResourceNames;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Kubernetes documents this module writes, as Jackson trees: their apiVersions, kinds and the
 * metadata every one of them carries (DESIGN §8). Key order does not matter here; the manifest
 * writer sorts keys.
 */
final class Documents {
  static final String SECURITY = "security.istio.io/v1";
  static final String NETWORKING_GROUP = "networking.istio.io";
  static final String NETWORKING = NETWORKING_GROUP + "/v1";
  static final String GATEWAY_GROUP = "gateway.networking.k8s.io";
  static final String GATEWAY = GATEWAY_GROUP + "/v1";

  static final String AUTHORIZATION_POLICY = "AuthorizationPolicy";
  static final String PEER_AUTHENTICATION = "PeerAuthentication";
  static final String SERVICE_ENTRY = "ServiceEntry";

  /** The GatewayClass of Istio waypoints. */
  static final String WAYPOINT_CLASS = "istio-waypoint";

  /** On a Service or ServiceEntry: the waypoint its traffic goes through (SEMANTICS M2). */
  static final String USE_WAYPOINT = "istio.io/use-waypoint";

  /** The label that lets ingress gateways route to a Service's waypoint (SEMANTICS R5). */
  static final String INGRESS_USE_WAYPOINT = "istio.io/ingress-use-waypoint";

  /** On a waypoint Gateway: which traffic it handles; {@code service} covers ServiceEntries too. */
  static final String WAYPOINT_FOR = "istio.io/waypoint-for";

  /** HBONE, the port every waypoint listens on. */
  static final int HBONE_PORT = 15008;

  // small object nodes: a rendered cluster is millions of them (see CompactNodeFactory)
  private static final JsonNodeFactory JSON = CompactNodeFactory.INSTANCE;

  private Documents() {}

  /**
   * A document with {@code apiVersion}, {@code kind} and metadata: name (fitted to the object name
   * limit), namespace, the managed-by label, the service label when {@code service} is not null,
   * and {@code extraLabels}.
   */
  static ObjectNode document(
      String apiVersion,
      String kind,
      String namespace,
      String name,
      String service,
      Map<String, String> extraLabels) {
    ObjectNode doc = JSON.objectNode();
    doc.put("apiVersion", apiVersion);
    doc.put("kind", kind);
    ObjectNode metadata = doc.putObject("metadata");
    metadata.put("name", ResourceNames.fit(name, ResourceNames.SUBDOMAIN_LIMIT));
    metadata.put("namespace", namespace);
    Map<String, String> labels = new TreeMap<>(extraLabels);
    labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
    if (service != null) {
      labels.put(Labels.SERVICE, service);
    }
    ObjectNode labelNode = metadata.putObject("labels");
    labels.forEach(labelNode::put);
    return doc;
  }

  /** A waypoint {@code Gateway}: class {@code istio-waypoint}, one HBONE listener on 15008. */
  static Resource gateway(String namespace, String name, String service) {
    ObjectNode doc =
        document(GATEWAY, "Gateway", namespace, name, service, Map.of(WAYPOINT_FOR, "service"));
    ObjectNode spec = doc.putObject("spec");
    spec.put("gatewayClassName", WAYPOINT_CLASS);
    ObjectNode listener = spec.putArray("listeners").addObject();
    listener.put("name", "mesh");
    listener.put("port", HBONE_PORT);
    listener.put("protocol", "HBONE");
    return Resource.of(doc);
  }

  /** {@code spec.selector.matchLabels} of a workload policy. */
  static void selector(ObjectNode spec, Map<String, String> podLabels) {
    ObjectNode matchLabels = spec.putObject("selector").putObject("matchLabels");
    new TreeMap<>(podLabels).forEach(matchLabels::put);
  }

  /** {@code spec.targetRefs} with one reference. */
  static void targetRef(ObjectNode spec, String group, String kind, String name) {
    ObjectNode ref = spec.putArray("targetRefs").addObject();
    ref.put("group", group);
    ref.put("kind", kind);
    ref.put("name", name);
  }

  /** A JSON array of {@code values}, in their iteration order. */
  static ArrayNode strings(Collection<String> values) {
    ArrayNode array = JSON.arrayNode(values.size());
    values.forEach(array::add);
    return array;
  }

  /** Ports as Istio's AuthorizationPolicy wants them: decimal strings, in their iteration order. */
  static ArrayNode ports(Collection<Integer> ports) {
    ArrayNode array = JSON.arrayNode(ports.size());
    ports.forEach(p -> array.add(String.valueOf(p)));
    return array;
  }

  static ObjectNode object() {
    return JSON.objectNode();
  }
}
