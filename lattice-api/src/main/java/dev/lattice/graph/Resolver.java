package dev.lattice.graph;

import dev.lattice.internal.Names;
import dev.lattice.model.Declaration;
import dev.lattice.model.Direction;
import dev.lattice.model.Egress;
import dev.lattice.model.Exposure;
import dev.lattice.model.HttpRule;
import dev.lattice.model.PeerAuth;
import dev.lattice.model.PeerRef;
import dev.lattice.model.Port;
import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import dev.lattice.model.SourceLocation;
import dev.lattice.model.WaypointScope;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Bilateral resolution. An agreement caller→callee exists only when the caller declares the
 * callee outbound (or both) and the callee declares the caller inbound (or both); a wildcard on
 * one side matches any explicit declaration on the other, never another wildcard. Per side, an
 * explicit declaration of a peer wins over the wildcard.
 *
 * <p>Linear in services plus declarations: every lookup is a hash lookup, and a wildcard
 * outbound side is matched through the reverse index of explicit inbound declarations (never by
 * scanning all services).
 */
final class Resolver {
  private static final Comparator<Port> PORT_ORDER =
      Comparator.comparingInt(Port::port).thenComparing(Port::protocol).thenComparing(Port::name);

  private final ServiceGraph graph;
  private final Settings settings;
  private final List<Diagnostic> diagnostics = new ArrayList<>();
  private final Map<ServiceId, Node> nodes = new LinkedHashMap<>();
  private final Map<String, TreeSet<String>> namesByNamespace = new HashMap<>();
  private final List<Agreement> agreements = new ArrayList<>();
  private final Map<String, Edge> edges = new HashMap<>();

  /** One service and its declarations, indexed per side. */
  private static final class Node {
    final Service service;
    final ServiceId id;
    final Map<ServiceId, Declaration> out = new LinkedHashMap<>();
    final Map<ServiceId, Declaration> in = new LinkedHashMap<>();
    Declaration outAny;
    Declaration inAny;
    /** Services that explicitly declare this one inbound: the candidates of its wildcard outbound. */
    final List<ServiceId> admittedBy = new ArrayList<>();

    Node(Service service) {
      this.service = service;
      this.id = service.id();
    }
  }

  Resolver(ServiceGraph graph, Settings settings) {
    this.graph = graph;
    this.settings = settings;
  }

  Topology resolve() {
    diagnostics.addAll(graph.diagnostics());
    for (Service s : graph.services()) {
      Node existing = nodes.get(s.id());
      if (existing != null) {
        if (!existing.service.equals(s)) {
          report(
              DiagnosticCode.DUPLICATE_SERVICE,
              s.id().toString(),
              s.source(),
              s.id()
                  + " is declared twice with different definitions"
                  + existing.service.source().map(l -> " (first at " + l + ")").orElse("")
                  + "; keep one definition and merge the other into it");
        }
        continue;
      }
      nodes.put(s.id(), new Node(s));
      namesByNamespace.computeIfAbsent(s.namespace(), k -> new TreeSet<>()).add(s.name());
    }
    for (Node n : nodes.values()) {
      checkService(n);
    }
    for (Node n : nodes.values()) {
      indexDeclarations(n);
    }
    for (Node n : nodes.values()) {
      for (ServiceId admitted : n.in.keySet()) {
        Node caller = nodes.get(admitted);
        if (caller != null) {
          caller.admittedBy.add(n.id);
        }
      }
    }
    findAgreements();
    List<Waypoint> waypoints = findWaypoints();
    return build(waypoints);
  }

  // ---------------------------------------------------------------- one service

  private void checkService(Node n) {
    Service s = n.service;
    String path = n.id.toString();
    Optional<SourceLocation> at = s.source();
    check(DiagnosticCode.INVALID_NAME, path, at, Names.dnsLabel("namespace", s.namespace()));
    check(DiagnosticCode.INVALID_NAME, path, at, Names.dnsLabel("service name", s.name()));
    if (s.selector().isEmpty()) {
      report(
          DiagnosticCode.INVALID_LABEL,
          path,
          at,
          "the selector of " + path + " is empty, which would select every pod of the namespace;"
              + " name the pods' labels");
    }
    for (Map.Entry<String, String> e : s.selector().entrySet()) {
      check(DiagnosticCode.INVALID_LABEL, path, at, Names.labelKey(e.getKey()));
      check(DiagnosticCode.INVALID_LABEL, path, at, Names.labelValue(e.getKey(), e.getValue()));
    }
    check(
        DiagnosticCode.INVALID_SERVICE_ACCOUNT,
        path,
        at,
        Names.dnsSubdomain("service account", s.serviceAccount()));

    Map<String, Port> byName = new HashMap<>();
    Map<String, Port> byNumber = new HashMap<>();
    for (Port p : s.ports()) {
      String portPath = path + ".ports[" + p.name() + "]";
      Optional<SourceLocation> pat = p.source().or(() -> at);
      check(DiagnosticCode.INVALID_NAME, portPath, pat, Names.dnsLabel("port name", p.name()));
      check(DiagnosticCode.PORT_OUT_OF_RANGE, portPath, pat, Names.port("port", p.port()));
      check(
          DiagnosticCode.PORT_OUT_OF_RANGE,
          portPath,
          pat,
          Names.port("targetPort", p.targetPort()));
      Port sameName = byName.putIfAbsent(p.name(), p);
      if (sameName != null) {
        report(
            DiagnosticCode.DUPLICATE_PORT,
            portPath,
            pat,
            path + " has two ports named \"" + p.name() + "\"; give each port its own name");
      }
      Port sameNumber = byNumber.putIfAbsent(p.port() + "/" + p.protocol(), p);
      if (sameNumber != null && sameName == null) {
        report(
            DiagnosticCode.DUPLICATE_PORT,
            portPath,
            pat,
            path
                + " exposes "
                + p.port()
                + "/"
                + p.protocol()
                + " twice (ports \""
                + sameNumber.name()
                + "\" and \""
                + p.name()
                + "\"); remove one or give it another number");
      }
      for (Exposure x : p.exposedTo()) {
        String xPath = portPath + ".exposedTo[" + x + "]";
        if (x.kind() == Exposure.Kind.CIDR) {
          check(
              DiagnosticCode.INVALID_EXPOSURE,
              xPath,
              x.source().or(() -> pat),
              // Names.cidr returns null for a valid CIDR, which Optional.map turns into empty
              x.cidr().isPresent() ? Names.cidr(x.cidr().get()) : "a CIDR exposure needs its range");
        }
      }
      if (!p.exposedTo().isEmpty()
          && s.isAmbient()
          && p.protocol() == Protocol.TCP
          && p.peerAuth() == PeerAuth.STRICT) {
        report(
            DiagnosticCode.EXPOSED_STRICT,
            portPath,
            pat,
            "port \""
                + p.name()
                + "\" of "
                + path
                + " is exposed to "
                + p.exposedTo().stream().map(Exposure::toString).collect(Collectors.joining(", "))
                + ", whose clients have no mesh identity, but it is STRICT; mark the port"
                + " PERMISSIVE (peerAuth: PERMISSIVE)");
      }
    }

    for (Egress e : s.egress()) {
      String ePath = path + ".egress[" + e.target() + "]";
      Optional<SourceLocation> eat = e.source().or(() -> at);
      switch (e.kind()) {
        case FQDN:
          check(DiagnosticCode.INVALID_EGRESS, ePath, eat, Names.fqdn(e.target()));
          if (e.ports().isEmpty()) {
            report(
                DiagnosticCode.INVALID_EGRESS,
                ePath,
                eat,
                "egress to " + e.target() + " names no port; add the ports it uses (e.g. 443)");
          }
          break;
        case CIDR:
          check(DiagnosticCode.INVALID_EGRESS, ePath, eat, Names.cidr(e.target()));
          break;
        default:
          if (!Egress.ENTITIES.contains(e.target())) {
            report(
                DiagnosticCode.INVALID_EGRESS,
                ePath,
                eat,
                "\"" + e.target() + "\" is not an entity Lattice supports; use one of "
                    + String.join(", ", Egress.ENTITIES));
          }
      }
      for (int port : e.ports()) {
        check(DiagnosticCode.PORT_OUT_OF_RANGE, ePath, eat, Names.port("egress port", port));
      }
    }
  }

  private void indexDeclarations(Node n) {
    Service s = n.service;
    for (Declaration d : s.declarations()) {
      String path = n.id + ".dependsOn[" + d.peer() + "]";
      Optional<SourceLocation> at = d.source().or(s::source);
      PeerRef peer = d.peer();
      boolean usable = true;
      if (peer.isWildcard()) {
        if (peer.namespace().isPresent()) {
          report(
              DiagnosticCode.WILDCARD_NAMESPACE,
              path,
              at,
              "\"*\" means any service in any namespace and takes no namespace; remove"
                  + " namespace \""
                  + peer.namespace().get()
                  + "\" or name the services one by one");
          usable = false;
        }
      } else {
        String bad = Names.dnsLabel("peer name", peer.name());
        if (bad == null && peer.namespace().isPresent()) {
          bad = Names.dnsLabel("peer namespace", peer.namespace().get());
        }
        if (bad != null) {
          report(DiagnosticCode.INVALID_NAME, path, at, bad);
          usable = false;
        } else if (peer.resolve(s.namespace()).equals(n.id)) {
          report(
              DiagnosticCode.SELF_REFERENCE,
              path,
              at,
              n.id + " names itself; to let its pods call each other, set allowPeerTraffic");
          usable = false;
        }
      }
      if (d.direction() == Direction.OUTBOUND && !d.httpRules().isEmpty()) {
        report(
            DiagnosticCode.HTTP_ON_OUTBOUND,
            path,
            at,
            "HTTP rules on an outbound declaration are enforced by no one: the callee grants"
                + " requests. Move them to "
                + (peer.isWildcard() ? "the callees'" : peer.resolve(s.namespace()) + "'s")
                + " inbound declaration of "
                + n.id);
      }
      for (HttpRule r : d.httpRules()) {
        Optional<SourceLocation> rat = r.source().or(() -> at);
        if (r.methods().isEmpty() && r.paths().isEmpty()) {
          report(
              DiagnosticCode.INVALID_HTTP_RULE,
              path,
              rat,
              "an HTTP rule needs methods or paths; to allow any request, leave out the HTTP"
                  + " rules");
        }
        r.methods().forEach(m -> check(DiagnosticCode.INVALID_HTTP_RULE, path, rat, Names.httpMethod(m)));
        r.paths().forEach(p -> check(DiagnosticCode.INVALID_HTTP_RULE, path, rat, Names.httpPath(p)));
      }
      if (d.direction().isInbound()) {
        checkInboundSide(n, d, path, at);
      }
      if (!usable) {
        continue;
      }
      if (d.direction().isOutbound()) {
        if (peer.isWildcard()) {
          if (n.outAny != null) {
            duplicate(path, at, n.id, "*", "outbound");
          } else {
            n.outAny = d;
          }
        } else if (n.out.putIfAbsent(peer.resolve(s.namespace()), d) != null) {
          duplicate(path, at, n.id, peer.resolve(s.namespace()).toString(), "outbound");
        }
      }
      if (d.direction().isInbound()) {
        if (peer.isWildcard()) {
          if (n.inAny != null) {
            duplicate(path, at, n.id, "*", "inbound");
          } else {
            n.inAny = d;
          }
        } else if (n.in.putIfAbsent(peer.resolve(s.namespace()), d) != null) {
          duplicate(path, at, n.id, peer.resolve(s.namespace()).toString(), "inbound");
        }
      }
    }
  }

  /** The inbound side names the declarer's own ports and grants the HTTP rules. */
  private void checkInboundSide(Node n, Declaration d, String path, Optional<SourceLocation> at) {
    Service s = n.service;
    for (String name : d.ports()) {
      if (s.port(name).isEmpty()) {
        report(
            DiagnosticCode.UNKNOWN_PORT,
            path,
            at,
            n.id + " admits its port \"" + name + "\", which it does not have; its ports are "
                + portNames(s));
      }
    }
    if (d.httpRules().isEmpty()) {
      return;
    }
    if (!s.isAmbient()) {
      report(
          DiagnosticCode.HTTP_WITHOUT_WAYPOINT,
          path,
          at,
          n.id + " is not in the mesh, so no waypoint sees its requests and its HTTP rules would"
              + " be enforced by neither layer; enroll it in the mesh or remove the HTTP rules");
      return;
    }
    for (Port p : s.ports()) {
      if (p.protocol() != Protocol.TCP && (d.ports().isEmpty() || d.ports().contains(p.name()))) {
        report(
            DiagnosticCode.HTTP_WITHOUT_WAYPOINT,
            path,
            at,
            "the HTTP rules would cover port \"" + p.name() + "\" (" + p.protocol() + "), which"
                + " no waypoint sees; limit the declaration to TCP ports with ports: ["
                + s.ports().stream()
                    .filter(q -> q.protocol() == Protocol.TCP)
                    .map(Port::name)
                    .collect(Collectors.joining(", "))
                + "]");
      }
    }
  }

  private void duplicate(
      String path, Optional<SourceLocation> at, ServiceId id, String peer, String side) {
    report(
        DiagnosticCode.DUPLICATE_DECLARATION,
        path,
        at,
        id + " declares " + peer + " " + side + " more than once; merge the declarations into one");
  }

  // ---------------------------------------------------------------- agreements

  private void findAgreements() {
    for (Node a : nodes.values()) {
      for (Map.Entry<ServiceId, Declaration> e : a.out.entrySet()) {
        ServiceId bId = e.getKey();
        Declaration out = e.getValue();
        String path = a.id + ".dependsOn[" + out.peer() + "]";
        Optional<SourceLocation> at = out.source().or(a.service::source);
        Node b = nodes.get(bId);
        if (b == null) {
          unknown(a.id, bId, path, at, "calls");
          edge(a.id.toString(), bId.toString(), Edge.Status.UNKNOWN_PEER, List.of());
          continue;
        }
        if (out.direction() == Direction.OUTBOUND) {
          for (String name : out.ports()) {
            if (b.service.port(name).isEmpty()) {
              report(
                  DiagnosticCode.UNKNOWN_PORT,
                  path,
                  at,
                  a.id + " calls port \"" + name + "\" of " + bId + ", which has ports "
                      + portNames(b.service));
            }
          }
        }
        Declaration in = b.in.containsKey(a.id) ? b.in.get(a.id) : b.inAny;
        if (in == null) {
          report(
              DiagnosticCode.ONE_SIDED,
              path,
              at,
              a.id + " calls " + bId + ", but " + bId + " does not declare " + a.id
                  + " inbound; the edge stays closed until " + bId + " adds " + a.id
                  + " as an inbound (or both) dependency");
          edge(a.id.toString(), bId.toString(), Edge.Status.ONE_SIDED, List.of());
          continue;
        }
        agree(a, b, out, in);
      }
      if (a.outAny != null) {
        edge(a.id.toString(), "*", Edge.Status.WILDCARD, List.of());
        for (ServiceId bId : a.admittedBy) {
          if (!a.out.containsKey(bId)) {
            Node b = nodes.get(bId);
            agree(a, b, a.outAny, b.in.get(a.id));
          }
        }
      }
    }
    for (Node b : nodes.values()) {
      for (Map.Entry<ServiceId, Declaration> e : b.in.entrySet()) {
        ServiceId aId = e.getKey();
        Declaration in = e.getValue();
        String path = b.id + ".dependsOn[" + in.peer() + "]";
        Optional<SourceLocation> at = in.source().or(b.service::source);
        Node a = nodes.get(aId);
        if (a == null) {
          unknown(b.id, aId, path, at, "admits");
          edge(aId.toString(), b.id.toString(), Edge.Status.UNKNOWN_PEER, List.of());
          continue;
        }
        if (a.out.containsKey(b.id) || a.outAny != null) {
          continue; // handled from the caller's side above
        }
        report(
            DiagnosticCode.ONE_SIDED,
            path,
            at,
            b.id + " admits " + aId + ", but " + aId + " does not declare " + b.id
                + " outbound; the edge stays closed until " + aId + " adds " + b.id
                + " as an outbound (or both) dependency");
        edge(aId.toString(), b.id.toString(), Edge.Status.ONE_SIDED, List.of());
      }
      if (b.inAny != null) {
        edge("*", b.id.toString(), Edge.Status.WILDCARD, List.of());
      }
    }
    for (Node n : nodes.values()) {
      if (n.service.allowPeerTraffic() && !n.service.ports().isEmpty()) {
        agreements.add(
            Agreement.builder()
                .caller(n.id)
                .callee(n.id)
                .addAllPorts(sortedPorts(n.service.ports()))
                .peerTraffic(true)
                .outboundSource(n.service.source())
                .inboundSource(n.service.source())
                .build());
      }
    }
  }

  /**
   * Forms the agreement caller→callee from the caller's outbound side and the callee's inbound
   * side, or reports why it cannot exist.
   */
  private void agree(Node a, Node b, Declaration out, Declaration in) {
    String path = a.id + ".dependsOn[" + out.peer() + "]";
    Optional<SourceLocation> at = out.source().or(a.service::source);
    // With BOTH, the port subset belongs to the inbound side: the outbound side takes all ports.
    List<String> outSubset = out.direction() == Direction.BOTH ? List.of() : out.ports();
    List<String> inSubset = in.ports();
    List<Port> ports = new ArrayList<>();
    for (Port p : b.service.ports()) {
      if ((outSubset.isEmpty() || outSubset.contains(p.name()))
          && (inSubset.isEmpty() || inSubset.contains(p.name()))) {
        ports.add(p);
      }
    }
    if (ports.isEmpty()) {
      String why =
          b.service.ports().isEmpty()
              ? b.id + " declares no ports; give it the ports it listens on"
              : a.id + " calls " + (outSubset.isEmpty() ? "all ports" : "ports " + outSubset)
                  + " and " + b.id + " admits "
                  + (inSubset.isEmpty() ? "all ports" : "ports " + inSubset)
                  + "; make the two lists share a port";
      report(
          DiagnosticCode.NO_COMMON_PORT,
          path,
          at,
          a.id + " and " + b.id + " both declare the edge but share no port: " + why);
      return;
    }
    boolean ok = true;
    if (!a.service.isAmbient() && b.service.isAmbient()) {
      for (Port p : ports) {
        if (p.protocol() == Protocol.TCP && p.peerAuth() == PeerAuth.STRICT) {
          ok = false;
          report(
              DiagnosticCode.PLAINTEXT_TO_STRICT,
              path,
              at,
              a.id + " is not in the mesh, so its plaintext connections to port \"" + p.name()
                  + "\" of " + b.id + " would always be refused by STRICT mTLS; mark that port"
                  + " PERMISSIVE (peerAuth: PERMISSIVE), enroll " + a.id + " in the mesh, or"
                  + " leave the port out of the agreement");
        }
      }
      if (!in.httpRules().isEmpty()) {
        ok = false;
        report(
            DiagnosticCode.HTTP_WITHOUT_WAYPOINT,
            path,
            at,
            a.id + " is not in the mesh, so no waypoint sees its requests to " + b.id
                + " and the HTTP rules would be enforced by neither layer; enroll " + a.id
                + " in the mesh or grant it a declaration without HTTP rules");
      }
    }
    if (!ok) {
      return;
    }
    ports.sort(PORT_ORDER);
    agreements.add(
        Agreement.builder()
            .caller(a.id)
            .callee(b.id)
            .addAllPorts(ports)
            .addAllHttpRules(in.httpRules())
            .outboundSource(out.source().or(a.service::source))
            .inboundSource(in.source().or(b.service::source))
            .build());
    edge(a.id.toString(), b.id.toString(), Edge.Status.AGREED, in.httpRules());
  }

  private void unknown(
      ServiceId from, ServiceId missing, String path, Optional<SourceLocation> at, String verb) {
    TreeSet<String> known = namesByNamespace.get(missing.namespace());
    String hint;
    if (known == null) {
      hint = "no service is declared in namespace " + missing.namespace();
    } else {
      String close = closest(missing.name(), known);
      hint =
          (close != null ? "did you mean " + missing.namespace() + "/" + close + "? " : "")
              + "known services in " + missing.namespace() + ": "
              + known.stream().limit(12).collect(Collectors.joining(", "))
              + (known.size() > 12 ? ", ..." : "");
    }
    report(
        DiagnosticCode.UNKNOWN_SERVICE,
        path,
        at,
        from + " " + verb + " " + missing + ", which is not declared; the edge stays closed until"
            + " it is (" + hint + ")");
  }

  /** The known name within edit distance 2 of {@code name}, if one is clearly closest. */
  private static String closest(String name, Set<String> known) {
    String best = null;
    int bestDistance = 3;
    int scanned = 0;
    for (String k : known) {
      if (++scanned > 2000) {
        break;
      }
      if (Math.abs(k.length() - name.length()) >= bestDistance) {
        continue;
      }
      int d = distance(name, k);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private void edge(String caller, String callee, Edge.Status status, List<HttpRule> rules) {
    String key = caller + " " + callee;
    Edge existing = edges.get(key);
    if (existing == null || status.ordinal() < existing.status().ordinal()) {
      edges.put(
          key,
          Edge.builder().caller(caller).callee(callee).status(status).addAllHttpRules(rules).build());
    }
  }

  // ---------------------------------------------------------------- waypoints

  private List<Waypoint> findWaypoints() {
    Map<String, Set<ServiceId>> fronted = new TreeMap<>();
    Set<String> egress = new HashSet<>();
    Set<ServiceId> behind = new HashSet<>();
    for (Agreement ag : agreements) {
      if (ag.hasHttpRules()) {
        behind.add(ag.callee());
      }
    }
    for (Node n : nodes.values()) {
      if (!n.service.isAmbient()) {
        continue;
      }
      if (behind.contains(n.id)) {
        fronted
            .computeIfAbsent(key(n.id.namespace(), waypointFor(n.service)), k -> new TreeSet<>())
            .add(n.id);
      }
      if (n.service.egress().stream().anyMatch(Egress::isExactFqdn)) {
        String k = key(n.id.namespace(), settings.waypointName());
        egress.add(k);
        fronted.computeIfAbsent(k, x -> new TreeSet<>());
      }
    }
    Map<String, List<Service>> byAccount = new HashMap<>();
    for (Node n : nodes.values()) {
      byAccount
          .computeIfAbsent(key(n.id.namespace(), n.service.serviceAccount()), k -> new ArrayList<>())
          .add(n.service);
    }
    List<Waypoint> out = new ArrayList<>();
    for (Map.Entry<String, Set<ServiceId>> e : fronted.entrySet()) {
      String[] nsName = e.getKey().split(" ");
      ServiceId wid = ServiceId.of(nsName[0], nsName[1]);
      Node clash = nodes.get(wid);
      if (clash != null) {
        report(
            DiagnosticCode.WAYPOINT_NAME_CLASH,
            clash.id.toString(),
            clash.service.source(),
            "the waypoint " + wid + " needs the name of service " + clash.id + " for its own"
                + " Service; rename the service or choose another waypoint name in the settings");
      }
      for (Service s : byAccount.getOrDefault(e.getKey(), List.of())) {
        report(
            DiagnosticCode.WAYPOINT_NAME_CLASH,
            s.id().toString(),
            s.source(),
            s.id() + " runs as service account \"" + s.serviceAccount() + "\", the identity of"
                + " the waypoint " + wid + "; it would pass every policy that admits the"
                + " waypoint. Give it another service account or choose another waypoint name");
      }
      out.add(
          Waypoint.builder()
              .namespace(nsName[0])
              .name(nsName[1])
              .addAllServices(e.getValue())
              .routesEgress(egress.contains(e.getKey()))
              .build());
    }
    return out;
  }

  private String waypointFor(Service s) {
    return settings.waypointScope() == WaypointScope.SERVICE
        ? settings.serviceWaypointName(s.name())
        : settings.waypointName();
  }

  private static String key(String namespace, String name) {
    return namespace + " " + name;
  }

  // ---------------------------------------------------------------- result

  private Topology build(List<Waypoint> waypoints) {
    for (Node n : nodes.values()) {
      if (settings.systemNamespaces().contains(n.id.namespace())) {
        report(
            DiagnosticCode.SYSTEM_NAMESPACE,
            n.id.toString(),
            n.service.source(),
            n.id + " is in " + n.id.namespace() + ", which the cluster-wide default deny leaves"
                + " out; only the directions its own policy has rules for are closed");
      }
    }
    agreements.sort(Comparator.naturalOrder());
    Map<ServiceId, List<Agreement>> in = new HashMap<>();
    Map<ServiceId, List<Agreement>> out = new HashMap<>();
    for (Agreement ag : agreements) {
      in.computeIfAbsent(ag.callee(), k -> new ArrayList<>()).add(ag);
      out.computeIfAbsent(ag.caller(), k -> new ArrayList<>()).add(ag);
    }
    Map<ServiceId, Waypoint> front = new HashMap<>();
    Map<String, Waypoint> byNamespace = new HashMap<>();
    for (Waypoint w : waypoints) {
      w.services().forEach(id -> front.put(id, w));
      if (w.routesEgress()) {
        byNamespace.put(w.namespace(), w);
      }
    }
    List<Service> services = new ArrayList<>();
    Map<ServiceId, ServiceView> views = new HashMap<>();
    for (Node n : nodes.values()) {
      services.add(n.service);
      List<Agreement> ins = in.getOrDefault(n.id, List.of());
      List<Agreement> outs = out.getOrDefault(n.id, List.of());
      Waypoint egressWaypoint =
          n.service.isAmbient() && n.service.egress().stream().anyMatch(Egress::isExactFqdn)
              ? byNamespace.get(n.id.namespace())
              : null;
      views.put(n.id, new ServiceView(n.service, ins, outs, front.get(n.id), egressWaypoint));
    }
    services.sort(Comparator.comparing(Service::id));
    diagnostics.sort(Comparator.naturalOrder());
    List<Edge> edgeList = new ArrayList<>(edges.values());
    edgeList.sort(Comparator.naturalOrder());
    return new Topology(settings, services, agreements, views, waypoints, edgeList, diagnostics);
  }

  // ---------------------------------------------------------------- helpers

  private static List<Port> sortedPorts(List<Port> ports) {
    List<Port> sorted = new ArrayList<>(ports);
    sorted.sort(PORT_ORDER);
    return sorted;
  }

  private static String portNames(Service s) {
    return s.ports().isEmpty()
        ? "none"
        : s.ports().stream().map(Port::name).collect(Collectors.joining(", "));
  }

  private void check(
      DiagnosticCode code, String path, Optional<SourceLocation> at, String problem) {
    if (problem != null) {
      report(code, path, at, problem);
    }
  }

  private void report(
      DiagnosticCode code, String path, Optional<SourceLocation> at, String message) {
    diagnostics.add(Diagnostic.of(code, path, at, message));
  }
}
