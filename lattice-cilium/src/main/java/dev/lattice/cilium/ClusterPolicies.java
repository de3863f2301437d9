package dev.lattice.cilium;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.graph.Topology;
import dev.lattice.model.Service;
import dev.lattice.model.Settings;
import dev.lattice.output.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The two cluster-wide policies: default deny, and the ambient kubelet-probe exception. */
final class ClusterPolicies {
  static final String DEFAULT_DENY = "lattice-default-deny";
  static final String AMBIENT_PROBES = "lattice-ambient-probes";

  /** The label ambient puts on pods it must not capture, waypoints among them (M2). */
  private static final String DATAPLANE_MODE = "k8s:istio.io/dataplane-mode";

  private ClusterPolicies() {}

  /**
   * Default deny and, when some service outside the system namespaces is ambient, the probe
   * exception; sorted as a manifest sorts them.
   */
  static List<Resource> render(Topology topology) {
    Settings settings = topology.settings();
    List<Resource> out = new ArrayList<>(2);
    out.add(defaultDeny(settings));
    TreeSet<String> ambient = new TreeSet<>();
    // per namespace, up to its first ambient service: a controller re-renders these two policies
    // on every change, so they must not cost a scan of the cluster
    for (String ns : topology.namespaces()) {
      if (settings.systemNamespaces().contains(ns)) {
        continue;
      }
      for (Service s : topology.services(ns)) {
        if (s.isAmbient()) {
          ambient.add(ns);
          break;
        }
      }
    }
    if (!ambient.isEmpty() && !settings.ambientProbeSources().isEmpty()) {
      out.add(ambientProbes(ambient, settings));
    }
    out.sort(null);
    return out;
  }

  /**
   * Every pod outside the system namespaces, in default deny both ways and allowed nothing: an
   * empty rule element allows nothing yet puts its direction in default deny (C1, C12). The subject
   * selector of a clusterwide policy is used as written (C8).
   */
  private static Resource defaultDeny(Settings settings) {
    ObjectNode doc = Documents.clusterwide(DEFAULT_DENY);
    ObjectNode spec = (ObjectNode) doc.get("spec");
    ObjectNode selector = spec.putObject("endpointSelector");
    TreeSet<String> system = new TreeSet<>(settings.systemNamespaces());
    if (!system.isEmpty()) {
      // NotIn needs values; with no system namespace the empty selector selects every pod.
      ObjectNode notIn = selector.putArray("matchExpressions").addObject();
      notIn.put("key", Peer.NAMESPACE_LABEL);
      notIn.put("operator", "NotIn");
      ArrayNode values = notIn.putArray("values");
      system.forEach(values::add);
    }
    ObjectNode deny = spec.putObject("enableDefaultDeny");
    deny.put("egress", true);
    deny.put("ingress", true);
    spec.putArray("ingress").addObject();
    spec.putArray("egress").addObject();
    return Resource.of(doc);
  }

  /**
   * ztunnel SNATs kubelet probes of ambient pods to a link-local address with world identity, which
   * neither the localhost exemption nor {@code host} covers (C10, C15). Additive only ({@code
   * enableDefaultDeny: false}, R3), for the pods of the namespaces holding ambient services, less
   * the pods ambient leaves alone ({@code istio.io/dataplane-mode: none}, e.g. waypoints): exact to
   * the namespace, and stable while services come and go inside it.
   */
  private static Resource ambientProbes(TreeSet<String> namespaces, Settings settings) {
    ObjectNode doc = Documents.clusterwide(AMBIENT_PROBES);
    ObjectNode spec = (ObjectNode) doc.get("spec");
    ArrayNode expressions = spec.putObject("endpointSelector").putArray("matchExpressions");
    ObjectNode in = expressions.addObject();
    in.put("key", Peer.NAMESPACE_LABEL);
    in.put("operator", "In");
    ArrayNode values = in.putArray("values");
    namespaces.forEach(values::add);
    ObjectNode notNone = expressions.addObject();
    notNone.put("key", DATAPLANE_MODE);
    notNone.put("operator", "NotIn");
    notNone.putArray("values").add("none");
    ObjectNode additive = spec.putObject("enableDefaultDeny");
    additive.put("egress", false);
    additive.put("ingress", false);
    ArrayNode cidrs = spec.putArray("ingress").addObject().putArray("fromCIDRSet");
    new TreeSet<>(settings.ambientProbeSources()).forEach(c -> cidrs.addObject().put("cidr", c));
    return Resource.of(doc);
  }
}
