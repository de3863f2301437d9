package dev.lattice.cilium;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.graph.Topology;
import dev.lattice.graph.TopologyUpdate;
import dev.lattice.model.Service;
import dev.lattice.model.Settings;
import dev.lattice.output.Manifest;
import dev.lattice.output.Resource;
import dev.lattice.output.ResourceKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
    TreeSet<String> ambient = new TreeSet<>();
    if (!topology.settings().ambientProbeSources().isEmpty()) {
      for (String ns : topology.namespaces()) {
        addIfAmbient(topology, ns, ambient);
      }
    }
    return policies(topology.settings(), ambient);
  }

  /**
   * {@link #render} of {@code update.topology()}, given {@code previous}, the render of {@code
   * update.previous()}: a namespace holds an ambient service or not by its own services' mesh mode,
   * so only the namespaces of changed and removed services are read again, the others are those of
   * the previous probe policy. A controller renders these policies on every change, and reading the
   * namespaces without ambient services cost a scan of most of the cluster.
   */
  static List<Resource> update(Manifest previous, TopologyUpdate update) {
    Topology next = update.topology();
    Settings settings = next.settings();
    if (settings != update.previous().settings() || settings.ambientProbeSources().isEmpty()) {
      return render(next);
    }
    TreeSet<String> ambient = new TreeSet<>();
    previous
        .get(ResourceKey.of(Documents.GROUP, Documents.CCNP, "", AMBIENT_PROBES))
        .ifPresent(
            r ->
                r.document()
                    .path("spec")
                    .path("endpointSelector")
                    .path("matchExpressions")
                    .path(0)
                    .path("values")
                    .forEach(v -> ambient.add(v.asText())));
    Set<String> touched = new HashSet<>();
    update.changedServices().forEach(id -> touched.add(id.namespace()));
    update.removedServices().forEach(id -> touched.add(id.namespace()));
    ambient.removeAll(touched);
    for (String ns : touched) {
      addIfAmbient(next, ns, ambient);
    }
    return policies(settings, ambient);
  }

  /** Adds {@code ns} when it is not a system namespace and some service of it is ambient. */
  private static void addIfAmbient(Topology topology, String ns, Set<String> ambient) {
    if (topology.settings().systemNamespaces().contains(ns)) {
      return;
    }
    for (Service s : topology.services(ns)) {
      if (s.isAmbient()) {
        ambient.add(ns);
        return;
      }
    }
  }

  private static List<Resource> policies(Settings settings, TreeSet<String> ambient) {
    List<Resource> out = new ArrayList<>(2);
    out.add(defaultDeny(settings));
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
