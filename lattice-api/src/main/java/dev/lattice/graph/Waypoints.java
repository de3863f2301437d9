package dev.lattice.graph;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.model.Egress;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import dev.lattice.model.WaypointScope;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The waypoints one namespace needs (a service with an agreement that carries HTTP rules sits
 * behind one; exact-FQDN egress routes through the namespace's), the names they clash with, and the
 * service accounts several mesh services share.
 */
final class Waypoints {
  private final Settings settings;
  private final Indexes ix;

  Waypoints(Settings settings, Indexes ix) {
    this.settings = settings;
    this.ix = ix;
  }

  /**
   * One warning per service account that several mesh services of {@code ns} run as. Istio knows a
   * workload by its service account alone ({@code <trustDomain>/ns/<ns>/sa/<sa>}, SEMANTICS I4), so
   * such services are one identity at L7: an agreement of one is granted to all (at L4 each keeps
   * its own pods). Services outside the mesh have no mesh identity and do not count.
   */
  private List<Diagnostic> sharedAccounts(String ns, List<Node> members) {
    Map<String, List<Node>> byAccount = new TreeMap<>();
    for (Node n : members) {
      if (n.service.isAmbient()) {
        byAccount.computeIfAbsent(n.service.serviceAccount(), k -> new ArrayList<>(2)).add(n);
      }
    }
    List<Diagnostic> out = new ArrayList<>();
    for (Map.Entry<String, List<Node>> e : byAccount.entrySet()) {
      List<Node> sharing = e.getValue();
      if (sharing.size() < 2) {
        continue;
      }
      Node first = sharing.get(0);
      String names = sharing.stream().map(n -> n.service.name()).collect(Collectors.joining(", "));
      out.add(
          Diagnostic.of(
              DiagnosticCode.SHARED_SERVICE_ACCOUNT,
              first.text + ".serviceAccount",
              first.service.source(),
              "services "
                  + names
                  + " of namespace "
                  + ns
                  + " all run as service account \""
                  + e.getKey()
                  + "\", which is one identity to Istio ("
                  + settings.principal(ns, e.getKey())
                  + "): whatever one of them is granted at L7, every other one is granted too"
                  + " (Cilium still tells their pods apart). Give each its own service account"
                  + " (spec.serviceAccount, or serviceAccount(...) in the DSL)"));
    }
    return out;
  }

  /**
   * One warning per service of {@code ns} whose selector also selects other services' pods: the
   * same labels, or a subset of another's selector (those pods carry at least their selector's
   * labels). Cilium (C3) and Istio (I1) apply every policy whose selector matches a pod, so each
   * such pod is granted what any of the services is. The Lattice platform does this on purpose for
   * a training job's tasks and a model's roles (each member selects the whole gang); elsewhere it
   * is usually a copied selector.
   */
  private static List<Diagnostic> sharedSelectors(String ns, List<Node> members) {
    // every member by each label it selects on: a member that selects another's pods shares all
    // of its labels, so the shortest of its lists holds every candidate
    // keyed by the selector's own entries (equal by key and value), not by "key=value" texts made
    // twice for every label of every service
    Map<Map.Entry<String, String>, List<Node>> byLabel = new HashMap<>();
    for (Node n : members) {
      for (Map.Entry<String, String> l : n.service.selector().entrySet()) {
        byLabel.computeIfAbsent(l, k -> new ArrayList<>(1)).add(n);
      }
    }
    List<Diagnostic> out = new ArrayList<>();
    for (Node n : members) {
      Map<String, String> sel = n.service.selector();
      List<Node> candidates = null;
      for (Map.Entry<String, String> l : sel.entrySet()) {
        List<Node> c = byLabel.get(l);
        if (candidates == null || c.size() < candidates.size()) {
          candidates = c;
        }
      }
      if (candidates == null || candidates.size() < 2) {
        continue;
      }
      List<Node> selected = new ArrayList<>();
      for (Node m : candidates) {
        if (m != n && m.service.selector().entrySet().containsAll(sel.entrySet())) {
          selected.add(m);
        }
      }
      if (selected.isEmpty()) {
        continue;
      }
      selected.sort(Comparator.comparing(m -> m.service.name()));
      String labels =
          new TreeMap<>(sel)
              .entrySet().stream()
                  .map(e -> e.getKey() + ": " + e.getValue())
                  .collect(Collectors.joining(", ", "{", "}"));
      String others =
          selected.stream().map(m -> m.service.name()).collect(Collectors.joining(", "));
      out.add(
          Diagnostic.of(
              DiagnosticCode.SHARED_SELECTOR,
              n.text + ".selector",
              n.service.source(),
              "the selector of "
                  + n.service.name()
                  + " "
                  + labels
                  + " also selects the pods of "
                  + others
                  + " in namespace "
                  + ns
                  + ": Cilium and Istio apply every policy that selects a pod, so those pods are"
                  + " granted whatever "
                  + n.service.name()
                  + " is granted, and the other way round where the selectors are equal. Give"
                  + " each service a label of its own (spec.selector, or selector(...) in the DSL);"
                  + " a training job's tasks and a model's roles share their pods by design"));
    }
    return out;
  }

  /** The waypoints one namespace needs, and the names they clash with. */
  State.NamespaceResult of(String ns) {
    TreeSet<String> inNs = ix.names.get(ns);
    if (inNs == null || inNs.isEmpty()) {
      return State.NamespaceResult.NONE;
    }
    Map<String, Set<ServiceId>> fronted = new TreeMap<>();
    boolean egress = false;
    List<Node> members = new ArrayList<>(inNs.size());
    for (String name : inNs) {
      Node n = ix.nodes.get(ServiceId.of(ns, name));
      members.add(n);
      if (!n.service.isAmbient()) {
        continue;
      }
      boolean behind = false;
      for (Agreement ag : ix.inbound.getOrDefault(n.id, List.of())) {
        if (ag.hasHttpRules()) {
          behind = true;
          break;
        }
      }
      if (behind) {
        String wp =
            settings.waypointScope() == WaypointScope.SERVICE
                ? settings.serviceWaypointName(n.service.name())
                : settings.waypointName();
        fronted.computeIfAbsent(wp, k -> new TreeSet<>()).add(n.id);
      }
      if (n.service.egress().stream().anyMatch(Egress::isMeshRouted)) {
        egress = true;
        fronted.computeIfAbsent(settings.waypointName(), k -> new TreeSet<>());
      }
    }
    List<Diagnostic> diagnostics = new ArrayList<>(sharedAccounts(ns, members));
    diagnostics.addAll(sharedSelectors(ns, members));
    if (fronted.isEmpty()) {
      return diagnostics.isEmpty()
          ? State.NamespaceResult.NONE
          : new State.NamespaceResult(List.of(), List.copyOf(diagnostics), Map.of());
    }
    List<Waypoint> waypoints = new ArrayList<>();
    Map<ServiceId, Waypoint> fronting = new HashMap<>();
    for (Map.Entry<String, Set<ServiceId>> e : fronted.entrySet()) {
      String name = e.getKey();
      ServiceId wid = ServiceId.of(ns, name);
      for (Node n : members) {
        if (n.id.equals(wid)) {
          diagnostics.add(
              Diagnostic.of(
                  DiagnosticCode.WAYPOINT_NAME_CLASH,
                  n.id.toString(),
                  n.service.source(),
                  "the waypoint "
                      + wid
                      + " needs the name of service "
                      + n.id
                      + " for its own"
                      + " Service; rename the service or choose another waypoint name in the"
                      + " settings"));
        }
        if (n.service.serviceAccount().equals(name)) {
          diagnostics.add(
              Diagnostic.of(
                  DiagnosticCode.WAYPOINT_NAME_CLASH,
                  n.id.toString(),
                  n.service.source(),
                  n.id
                      + " runs as service account \""
                      + name
                      + "\", the identity of the waypoint "
                      + wid
                      + "; it would pass every policy that admits the waypoint. Give it"
                      + " another service account or choose another waypoint name"));
        }
      }
      Waypoint w =
          Waypoint.builder()
              .namespace(ns)
              .name(name)
              .addAllServices(e.getValue())
              .routesEgress(egress && name.equals(settings.waypointName()))
              .build();
      waypoints.add(w);
      e.getValue().forEach(id -> fronting.put(id, w));
    }
    return new State.NamespaceResult(List.copyOf(waypoints), List.copyOf(diagnostics), fronting);
  }
}
