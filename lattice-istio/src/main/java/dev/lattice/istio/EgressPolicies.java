package dev.lattice.istio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.graph.ServiceView;
import dev.lattice.graph.Topology;
import dev.lattice.model.Egress;
import dev.lattice.model.Service;
import dev.lattice.model.Settings;
import dev.lattice.output.Resource;
import dev.lattice.output.ResourceNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Exact-FQDN egress through the namespace waypoint: per (namespace, host) a {@code ServiceEntry}
 * bound to the waypoint and an ALLOW policy attached to it admitting exactly the namespace's
 * ambient services that declare the host, each on its declared ports.
 *
 * <p>Only TCP egress is routed: ambient captures nothing else (M3), so UDP or SCTP egress to a name
 * stays with the L4 layer. Wildcard names, CIDRs and entities are L4-only as well: a ServiceEntry
 * needs one resolvable host for the waypoint to forward to, and a waypoint cannot capture traffic
 * to an address range.
 *
 * <p>Port protocol: {@code TLS} for 443, {@code TCP} otherwise. Both make the waypoint forward the
 * connection as is (no termination, no origination) while it still sees the caller's identity
 * through HBONE (IW2), so it can authorize by principal and port; {@code HTTP} would break any
 * non-HTTP client, and clients on 443 speak TLS, which lets the waypoint read the SNI without
 * terminating.
 *
 * <p>The mesh route needs ztunnel DNS capture and ServiceEntry address allocation ({@code
 * PILOT_ENABLE_IP_AUTOALLOCATE}; both on by default), so clients resolve the host to a mesh address
 * that ztunnel sends to the waypoint. A client that connects to the host's real address bypasses
 * the waypoint; only the L4 layer's per-caller rule governs that route (DESIGN §9, limit 4).
 */
final class EgressPolicies {
  private EgressPolicies() {}

  /**
   * The ServiceEntries and their policies of every namespace, sorted. The services come from the
   * topology's one list, in the order the namespaces give them: looking each up by namespace and
   * name was 2% of a 50,000-service render's CPU, on the Istio layer's own thread.
   */
  static List<Resource> render(Topology topology) {
    return render(topology, topology.services());
  }

  /**
   * The ServiceEntries and their policies of {@code namespaces}: they depend only on the services
   * of their own namespace, so a change re-renders the namespaces it touched.
   */
  static List<Resource> render(Topology topology, Collection<String> namespaces) {
    List<Service> services = new ArrayList<>();
    for (String ns : namespaces) {
      services.addAll(topology.services(ns));
    }
    return render(topology, services);
  }

  /** The ServiceEntries and their policies of the namespaces of {@code services}. */
  private static List<Resource> render(Topology topology, List<Service> services) {
    Settings settings = topology.settings();
    Map<String, Map<String, Host>> byNamespace = new TreeMap<>();
    List<ServiceView> views = new ArrayList<>();
    for (Service s : services) {
      if (!s.egress().isEmpty()) {
        views.add(topology.view(s.id()).orElseThrow());
      }
    }
    for (ServiceView view : views) {
      Service s = view.service();
      if (view.egressWaypoint().isEmpty() || !ServicePolicies.applies(settings, s)) {
        continue;
      }
      String waypoint = view.egressWaypoint().get().name();
      String principal = settings.principal(s.namespace(), s.serviceAccount());
      Map<String, TreeSet<Integer>> portsByHost = new TreeMap<>();
      for (Egress e : s.egress()) {
        if (e.isExactFqdn() && e.protocol().isMeshCaptured()) {
          portsByHost.computeIfAbsent(e.target().value(), h -> new TreeSet<>()).addAll(e.ports());
        }
      }
      Map<String, Host> hosts = byNamespace.computeIfAbsent(s.namespace(), ns -> new TreeMap<>());
      portsByHost.forEach(
          (host, ports) -> {
            Host h = hosts.computeIfAbsent(host, x -> new Host(waypoint));
            h.ports.addAll(ports);
            // ports at a waypoint are the ServiceEntry's (IW4)
            h.rules.allow(principal, ports, List.of());
          });
    }
    List<Resource> out = new ArrayList<>();
    byNamespace.forEach(
        (ns, hosts) ->
            hosts.forEach(
                (host, h) -> {
                  // named after the host: dots keep it apart from the names derived from services
                  String name = ResourceNames.fit(host, ResourceNames.SUBDOMAIN_LIMIT);
                  out.add(serviceEntry(ns, name, host, h));
                  out.addAll(
                      h.rules.policies(
                          ns,
                          name,
                          null,
                          spec ->
                              Documents.targetRef(
                                  spec,
                                  Documents.NETWORKING_GROUP,
                                  Documents.SERVICE_ENTRY,
                                  name)));
                }));
    return out;
  }

  private static Resource serviceEntry(String ns, String name, String host, Host h) {
    ObjectNode doc =
        Documents.document(
            Documents.NETWORKING,
            Documents.SERVICE_ENTRY,
            ns,
            name,
            null,
            Map.of(Documents.USE_WAYPOINT, h.waypoint));
    ObjectNode spec = doc.putObject("spec");
    // visible to this namespace only: another namespace's callers get their own entry and policy
    spec.putArray("exportTo").add(".");
    spec.putArray("hosts").add(host);
    spec.put("location", "MESH_EXTERNAL");
    spec.put("resolution", "DNS");
    ArrayNode ports = spec.putArray("ports");
    for (int p : h.ports) {
      String protocol = p == 443 ? "TLS" : "TCP";
      ObjectNode port = ports.addObject();
      port.put("name", protocol.toLowerCase(Locale.ROOT) + "-" + p);
      port.put("number", p);
      port.put("protocol", protocol);
    }
    return Resource.of(doc);
  }

  /** One host of one namespace: the waypoint it goes through, its ports, who may call it. */
  private static final class Host {
    final String waypoint;
    final TreeSet<Integer> ports = new TreeSet<>();
    final AllowRules rules = new AllowRules();

    Host(String waypoint) {
      this.waypoint = waypoint;
    }
  }
}
