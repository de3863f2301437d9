package dev.lattice.verify.diff;

import dev.lattice.graph.Agreement;
import dev.lattice.model.Exposure;
import dev.lattice.model.HttpRule;
import dev.lattice.model.IpPrefix;
import dev.lattice.model.Port;
import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.verify.Source;
import dev.lattice.verify.Verdict;
import dev.lattice.verify.Verifier;
import dev.lattice.verify.diff.Side.PortKey;
import dev.lattice.verify.world.Peer;
import dev.lattice.verify.world.World;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a change opens and closes: two renderings, each judged by its own {@link Verifier} (the
 * independent evaluators of the rendered documents, never the renderers' intentions), compared
 * connection by connection.
 *
 * <pre>{@code
 * ConnectivityDiff d = ConnectivityDiff.between(
 *     Verifier.of(oldTopology, oldCilium, oldIstio),
 *     Verifier.of(newTopology, newCilium, newIstio));
 * d.opened().forEach(c -> System.out.println("opens " + c));
 * System.out.print(DiffReport.markdown(d));
 * }</pre>
 *
 * <p>What is judged, on both sides: every (caller, callee, Service port) over the services of
 * either side — the cells of both {@link dev.lattice.verify.ConnectivityMatrix}es, a missing
 * service or port being <em>absent</em>; the HTTP requests the agreements' rules name (and one they
 * do not) on connections both sides allow, where either side has HTTP rules; every service against
 * every egress target either side declares, on each declared port (and one more port where an
 * egress allows all); and the internet, the API server, the nodes and an address in each exposed
 * range against every Service port. Each {@link Change} says, per layer, the decision before and
 * after and the reason, and which declarations bear on it on each side (file:line:col when loaded
 * from YAML).
 *
 * <p>Cost: only the connections a change can touch are judged ({@link Affected}: a caller or callee
 * whose declarations, Service, pods, waypoint or governing documents differ; an outside source or
 * egress target the worlds place differently); every other pair reads the same documents and the
 * same world on both sides, so its decisions cannot differ. A one-service change thus costs about
 * services × ports, not services² × ports. Changes the pruning does not narrow (settings, world
 * options, kube-dns or istiod, a cluster-wide Cilium policy, a PeerAuthentication, a kind it does
 * not know) judge everything, as {@code exhaustive} always does; a property suite holds the two to
 * the same report. Deterministic: the same renderings give the same changes in the same order.
 */
public final class ConnectivityDiff {
  /** A method and path no declared rule is expected to grant (as in the property suites). */
  static final String OTHER_METHOD = "TRACE";

  static final String OTHER_PATH = "/__lattice/not-granted";

  private final List<Change> changes;

  private ConnectivityDiff(List<Change> changes) {
    List<Change> sorted = new ArrayList<>(changes);
    Collections.sort(sorted);
    this.changes = List.copyOf(sorted);
  }

  /**
   * The connections whose verdict differs between {@code before} and {@code after}.
   *
   * @throws NullPointerException if either is null
   */
  public static ConnectivityDiff between(Verifier before, Verifier after) {
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    return judge(before, after, Affected.of(before, after));
  }

  /**
   * The same as {@link #between}, with every connection judged on both sides whatever changed: the
   * reference {@code between} is held to (a property suite checks that the two give the same
   * report), at the cost of both whole matrices. For tests and benchmarks; tools want {@code
   * between}.
   *
   * @throws NullPointerException if either is null
   */
  public static ConnectivityDiff exhaustive(Verifier before, Verifier after) {
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    return judge(before, after, Affected.everything("exhaustive"));
  }

  private static ConnectivityDiff judge(Verifier before, Verifier after, Affected affected) {
    Side b = new Side(before);
    Side a = new Side(after);
    List<Change> out = new ArrayList<>();
    Map<ServiceId, Map<PortKey, Port>> ports = Side.ports(b, a);
    services(b, a, ports, affected, out);
    exposures(b, a, ports, affected, out);
    EgressProbes.egress(b, a, affected, out);
    return new ConnectivityDiff(out);
  }

  /** Every change, sorted by kind, caller, destination, port, protocol and request. */
  public List<Change> changes() {
    return changes;
  }

  /** The changes that some layer opens. */
  public List<Change> opened() {
    return changes.stream().filter(Change::opens).toList();
  }

  /** The changes that some layer closes. */
  public List<Change> closed() {
    return changes.stream().filter(Change::closes).toList();
  }

  /**
   * The changes that neither open nor close: an enforcement point appears or disappears (allow ⇄
   * not applicable), the traffic passing either way.
   */
  public List<Change> changed() {
    return changes.stream().filter(c -> !c.opens() && !c.closes()).toList();
  }

  /** Whether nothing differs. */
  public boolean isEmpty() {
    return changes.isEmpty();
  }

  @Override
  public String toString() {
    return "ConnectivityDiff("
        + opened().size()
        + " opened, "
        + closed().size()
        + " closed, "
        + changed().size()
        + " changed)";
  }

  // ------------------------------------------------------------------ service to service

  private static void services(
      Side b,
      Side a,
      Map<ServiceId, Map<PortKey, Port>> ports,
      Affected affected,
      List<Change> out) {
    Map<List<ServiceId>, List<HttpRule>> http = httpRules(b, a);
    // a caller that nothing touched is judged only against the callees something touched
    Map<ServiceId, Map<PortKey, Port>> touched = new TreeMap<>();
    ports.forEach(
        (id, p) -> {
          if (affected.callee(id)) {
            touched.put(id, p);
          }
        });
    // one caller's row at a time, callers in parallel: the verifiers are thread-safe, and the
    // changes are sorted afterwards, so the result does not depend on the schedule
    List<List<Change>> rows =
        ports.keySet().stream()
            .filter(from -> affected.caller(from) || !touched.isEmpty())
            .toList()
            .parallelStream()
            .map(from -> row(b, a, affected.caller(from) ? ports : touched, http, from))
            .toList();
    rows.forEach(out::addAll);
  }

  /** The changes of one caller's row of the matrix ({@code callees} of it), with its requests. */
  private static List<Change> row(
      Side b,
      Side a,
      Map<ServiceId, Map<PortKey, Port>> callees,
      Map<List<ServiceId>, List<HttpRule>> http,
      ServiceId from) {
    List<Change> out = new ArrayList<>();
    Source src = Source.service(from);
    for (Map.Entry<ServiceId, Map<PortKey, Port>> callee : callees.entrySet()) {
      ServiceId to = callee.getKey();
      List<HttpRule> rules = http.get(List.of(from, to));
      for (Map.Entry<PortKey, Port> e : callee.getValue().entrySet()) {
        PortKey k = e.getKey();
        Port p = e.getValue();
        Verdict vb = b.call(src, to, k, null, null);
        Verdict va = a.call(src, to, k, null, null);
        Changes.add(
            out,
            Change.Kind.SERVICE,
            from.toString(),
            to.toString(),
            p,
            null,
            vb,
            va,
            () -> Declared.call(b.topology, from, to),
            () -> Declared.call(a.topology, from, to));
        boolean bothAllow = vb != null && va != null && vb.allowed() && va.allowed();
        if (rules == null || !bothAllow || k.protocol() != Protocol.TCP) {
          continue;
        }
        for (Map.Entry<List<String>, String> probe : probes(rules).entrySet()) {
          String method = probe.getKey().get(0);
          String path = probe.getKey().get(1);
          Changes.add(
              out,
              Change.Kind.REQUEST,
              from.toString(),
              to.toString(),
              p,
              new String[] {method, path, probe.getValue()},
              b.call(src, to, k, method, path),
              a.call(src, to, k, method, path),
              () -> Declared.call(b.topology, from, to),
              () -> Declared.call(a.topology, from, to));
        }
      }
    }
    return out;
  }

  /** The HTTP rules of either side's agreements, per (caller, callee), in order, once each. */
  private static Map<List<ServiceId>, List<HttpRule>> httpRules(Side b, Side a) {
    Map<List<ServiceId>, List<HttpRule>> out = new LinkedHashMap<>();
    for (Side s : List.of(b, a)) {
      for (Agreement ag : s.topology.agreements()) {
        if (!ag.hasHttpRules()) {
          continue;
        }
        List<HttpRule> rules =
            out.computeIfAbsent(List.of(ag.caller(), ag.callee()), k -> new ArrayList<>());
        for (HttpRule r : ag.httpRules()) {
          if (!rules.contains(r)) {
            rules.add(r);
          }
        }
      }
    }
    return out;
  }

  /**
   * One concrete request per (method, path pattern) the rules name, labelled with the rule it
   * stands for, and one request no rule is expected to grant.
   */
  private static Map<List<String>, String> probes(List<HttpRule> rules) {
    Map<List<String>, String> out = new LinkedHashMap<>();
    for (HttpRule r : rules) {
      List<String> methods = r.methods().isEmpty() ? List.of("GET") : r.methods();
      List<String> paths = r.paths().isEmpty() ? List.of("*") : r.paths();
      for (String m : methods) {
        for (String p : paths) {
          out.putIfAbsent(
              List.of(m, concrete(p)), (r.methods().isEmpty() ? "*" : m) + " " + p + " (declared)");
        }
      }
    }
    out.putIfAbsent(List.of(OTHER_METHOD, OTHER_PATH), "a request no declared rule names");
    return out;
  }

  /** A path an Istio path pattern matches: exact, {@code prefix*}, {@code *suffix} or {@code *}. */
  static String concrete(String pattern) {
    if (pattern.equals("*")) {
      return "/any/path";
    }
    if (pattern.startsWith("*")) {
      return "/x/y" + pattern.substring(1);
    }
    if (pattern.endsWith("*")) {
      return pattern.substring(0, pattern.length() - 1) + "x/y";
    }
    return pattern;
  }

  // ------------------------------------------------------------------ outside sources

  /** An outside source as the diff names it, with what decides which exposures admit it. */
  private record Outside(
      String label, Source source, Class<? extends Exposure> kind, String address) {}

  private static void exposures(
      Side b,
      Side a,
      Map<ServiceId, Map<PortKey, Port>> ports,
      Affected affected,
      List<Change> out) {
    List<Outside> sources = new ArrayList<>();
    sources.add(new Outside("world", Source.world(), Exposure.World.class, null));
    sources.add(
        new Outside("kube-apiserver", Source.kubeApiserver(), Exposure.KubeApiserver.class, null));
    // remote nodes stand for a load balancer's SNAT address: a world exposure admits them (§3)
    sources.add(new Outside("remote-node", Source.remoteNode(), Exposure.World.class, null));
    Set<String> cidrs = new TreeSet<>();
    for (Side s : List.of(b, a)) {
      for (Service svc : s.topology.services()) {
        for (Port p : svc.ports()) {
          p.exposedTo().stream()
              .filter(Exposure.Cidr.class::isInstance)
              .forEach(x -> cidrs.add(((Exposure.Cidr) x).range()));
        }
      }
    }
    for (String c : cidrs) {
      String ip = outsideAddress(c, b.world, a.world);
      sources.add(new Outside(c, Source.address(ip), Exposure.Cidr.class, ip));
    }
    for (Outside o : sources) {
      boolean all = affected.source(o.source);
      for (Map.Entry<ServiceId, Map<PortKey, Port>> callee : ports.entrySet()) {
        ServiceId to = callee.getKey();
        if (!all && !affected.callee(to)) {
          continue;
        }
        for (Map.Entry<PortKey, Port> e : callee.getValue().entrySet()) {
          PortKey k = e.getKey();
          Changes.add(
              out,
              Change.Kind.EXPOSURE,
              o.label,
              to.toString(),
              e.getValue(),
              null,
              b.call(o.source, to, k, null, null),
              a.call(o.source, to, k, null, null),
              () -> Declared.exposure(b.topology, to, k.port(), o.kind, o.address),
              () -> Declared.exposure(a.topology, to, k.port(), o.kind, o.address));
        }
      }
    }
  }

  /**
   * One address of {@code cidr} that neither world gives to a pod, node or other peer of its own:
   * the same address on both sides, whichever side is before.
   */
  static String outsideAddress(String cidr, World one, World two) {
    IpPrefix r = IpPrefix.parseRange(cidr);
    int bits = r.isV6() ? 128 : 32;
    if (r.length() >= bits - 1) {
      return r.addressAt(0);
    }
    for (long i = 1; i < 200; i++) {
      String ip = r.addressAt(i);
      if (one.peerAt(ip).kind() == Peer.Kind.EXTERNAL
          && two.peerAt(ip).kind() == Peer.Kind.EXTERNAL) {
        return ip;
      }
    }
    return r.addressAt(1);
  }
}
