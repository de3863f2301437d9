package dev.lattice.verify;

import dev.lattice.graph.Agreement;
import dev.lattice.graph.Topology;
import dev.lattice.graph.Waypoint;
import dev.lattice.model.Egress;
import dev.lattice.model.Exposure;
import dev.lattice.model.HttpRule;
import dev.lattice.model.Port;
import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import dev.lattice.verify.world.World;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The mission's property, checked for one rendering: each layer alone allows exactly what the
 * declared graph agrees on and denies everything else, except exactly the tolerated edges of DESIGN
 * §9 — computed from the graph, never skipped:
 *
 * <ol>
 *   <li>HBONE hides ports from L4: between an ambient pair with a TCP agreement, Cilium admits the
 *       tunnel port and cannot tell the callee's TCP ports apart;
 *   <li>a shared waypoint is one L4 hop: a caller that may reach a waypoint reaches every TCP port
 *       of every service behind it at L4;
 *   <li>plaintext has no identity: on a PERMISSIVE port with a non-mesh caller's agreement or an
 *       exposure, Istio admits any plaintext source;
 *   <li>egress through the waypoint: exact-FQDN egress on the mesh route is per namespace at L4.
 * </ol>
 *
 * <p>Plus the one the graph causes and resolution warns about: mesh services of one namespace that
 * share a service account are one identity, so at L7 each is admitted wherever another one is.
 * Routes are the world's: a caller that dials pod addresses meets no Service waypoint, and a
 * gateway meets one only where the Service carries {@code istio.io/ingress-use-waypoint}.
 *
 * <p>Every (caller, callee, Service port), the requests an agreement's HTTP rules grant and one
 * they do not, every outside source (internet, API server, nodes, addresses in exposed ranges)
 * against every port, and every service against every declared egress target are judged by the
 * {@link Verifier}; each disagreement is collected with the verdict's explanation.
 *
 * <pre>{@code
 * Exactness e = Exactness.of(topology, Verifier.of(topology, cilium, istio)).all();
 * if (!e.isExact()) e.problems().forEach(System.err::println);
 * System.out.println(e.seen()); // {agreed=48, not agreed=672, L4 tolerated, limit 1=31, ...}
 * }</pre>
 *
 * <p>Not thread-safe: one instance collects the results of the checks called on it.
 */
public final class Exactness {
  private static final String NOT_GRANTED_METHOD = "TRACE";
  private static final String NOT_GRANTED_PATH = "/__lattice/not-granted";

  private final Topology topology;
  private final Verifier verifier;
  private final Expectations expect;
  private final List<String> problems = new ArrayList<>();
  private final Map<String, Integer> seen = new TreeMap<>();

  private Exactness(Topology topology, Verifier verifier) {
    this.topology = topology;
    this.verifier = verifier;
    this.expect = new Expectations(topology, verifier.world());
  }

  /** A check of what {@code verifier} judges against what {@code topology} declares. */
  public static Exactness of(Topology topology, Verifier verifier) {
    return new Exactness(topology, verifier);
  }

  /** Every check: service to service, outside sources, egress. */
  public Exactness all() {
    return serviceToService().outsideSources().egress();
  }

  /** Every disagreement found so far, each with the verdict's explanation. */
  public List<String> problems() {
    return Collections.unmodifiableList(problems);
  }

  /** Whether no check found a disagreement. */
  public boolean isExact() {
    return problems.isEmpty();
  }

  /**
   * What the checks met, counted: agreed and other edges, edges tolerated by each limit, HTTP
   * agreements, exposed ports per kind of source, declared and undeclared egress. A check that met
   * none of a kind proves nothing about it.
   */
  public Map<String, Integer> seen() {
    return Collections.unmodifiableMap(seen);
  }

  private void count(String what) {
    seen.merge(what, 1, Integer::sum);
  }

  private void problem(String what, Verdict v) {
    problems.add(what + "\n" + v.explain());
  }

  // ------------------------------------------------------------------ service to service

  /**
   * Each layer alone allows every agreed (caller, callee, port) and denies every other one, up to
   * limits 1–3; Istio has a verdict exactly where it has an enforcement point (an ambient pod,
   * TCP); requests an agreement's HTTP rules grant pass both layers and one they grant not is
   * denied.
   */
  public Exactness serviceToService() {
    for (Service a : topology.services()) {
      for (Service b : topology.services()) {
        for (Port p : b.ports()) {
          Query q =
              Query.from(Source.service(a.id()))
                  .to(Destination.service(b.id(), p.port()))
                  .protocol(p.protocol());
          Verdict v = verifier.check(q);
          String edge = a.id() + " -> " + b.id() + " port " + p;
          boolean agreed = expect.agreed(a.id(), b.id(), p);
          count(agreed ? "agreed" : "not agreed");

          Decision l4 = v.cilium().decision();
          String tolerance = expect.l4Tolerance(a.id(), b.id(), p);
          if (agreed && l4 != Decision.ALLOW) {
            problem("agreed edge " + edge + " is not allowed by Cilium alone", v);
          } else if (!agreed && l4 == Decision.ALLOW) {
            if (tolerance == null) {
              problem("undeclared edge " + edge + " is allowed by Cilium alone", v);
            } else {
              count("L4 tolerated, " + tolerance.substring(0, tolerance.indexOf(':')));
            }
          }

          Decision l7 = v.istio().decision();
          if (!expect.l7Applies(b.id(), p)) {
            if (l7 != Decision.N_A) {
              problem(
                  "Istio decided "
                      + l7
                      + " for "
                      + edge
                      + ", where it has no enforcement"
                      + " point",
                  v);
            }
          } else if (l7 == Decision.N_A) {
            problem("Istio has no verdict for " + edge + " (an ambient TCP port)", v);
          } else if (agreed && l7 != Decision.ALLOW) {
            problem("agreed edge " + edge + " is not allowed by Istio alone", v);
          } else if (!agreed && l7 == Decision.ALLOW) {
            if (!a.isAmbient() && expect.plaintextPorts(b.id()).contains(p)) {
              count("L7 tolerated, limit 3");
            } else if (expect.sharedIdentity(a.id(), b.id(), p) != null) {
              count("L7 tolerated, shared identity");
            } else {
              problem("undeclared edge " + edge + " is allowed by Istio alone", v);
            }
          }
          if (agreed) {
            Agreement ag = expect.agreement(a.id(), b.id()).orElseThrow();
            count(ag.byPodIp() ? "agreed by pod IP" : "agreed via the Service");
            if (ag.byPodIp() && expect.waypointOf(b.id()).isPresent()) {
              count("agreed by pod IP past a waypoint");
            }
            if (a.isGateway() && expect.waypointOnPath(a.id(), b.id()).isPresent()) {
              count("gateway through a waypoint");
            }
            requests(ag, q, p, edge);
          }
        }
      }
    }
    return this;
  }

  /** Requests an agreement grants pass both layers; one it does not is denied at L7. */
  private void requests(Agreement ag, Query q, Port p, String edge) {
    if (!ag.hasHttpRules()) {
      return;
    }
    count("HTTP agreements");
    for (HttpRule rule : ag.httpRules()) {
      String[] req = Expectations.matching(rule);
      Verdict v = verifier.check(q.request(req[0], req[1]));
      if (v.cilium().decision() != Decision.ALLOW || v.istio().decision() != Decision.ALLOW) {
        problem("granted request " + req[0] + " " + req[1] + " on " + edge + " is denied", v);
      }
    }
    if (!Expectations.grants(ag.httpRules(), NOT_GRANTED_METHOD, NOT_GRANTED_PATH)) {
      Verdict v = verifier.check(q.request(NOT_GRANTED_METHOD, NOT_GRANTED_PATH));
      if (v.istio().decision() != Decision.DENY
          && expect.sharedIdentityGrants(
              ag.caller(), ag.callee(), p, NOT_GRANTED_METHOD, NOT_GRANTED_PATH)) {
        count("L7 tolerated, shared identity");
      } else if (v.istio().decision() != Decision.DENY) {
        problem(
            "request "
                + NOT_GRANTED_METHOD
                + " "
                + NOT_GRANTED_PATH
                + " on "
                + edge
                + " is granted by no rule but Istio does not deny it",
            v);
      }
    }
  }

  // ------------------------------------------------------------------ outside sources

  /**
   * Internet clients, the API server, the nodes and addresses in every exposed range (and one in
   * none) reach exactly the ports exposed to them at L4; at L7 exactly the plaintext ports (limit
   * 3) admit them.
   */
  public Exactness outsideSources() {
    World w = verifier.world();
    List<Object[]> sources = new ArrayList<>();
    sources.add(new Object[] {Expectations.Outside.WORLD, Source.world(), w.internet().ip()});
    sources.add(
        new Object[] {
          Expectations.Outside.KUBE_APISERVER, Source.kubeApiserver(), w.kubeApiserver().ip()
        });
    sources.add(new Object[] {Expectations.Outside.REMOTE_NODE, Source.remoteNode(), null});
    // 198.51.100.0/24 and 2001:db8:ff::/48 (documentation ranges) stand for clients in no exposure
    Set<String> cidrs = new TreeSet<>(List.of("198.51.100.0/24", "2001:db8:ff::/48"));
    for (Service s : topology.services()) {
      for (Port p : s.ports()) {
        p.exposedTo().stream()
            .filter(x -> x.kind() == Exposure.Kind.CIDR)
            .forEach(x -> cidrs.add(x.cidr().orElseThrow()));
      }
    }
    for (String c : cidrs) {
      String ip = w.addressIn(c).ip();
      sources.add(new Object[] {Expectations.Outside.CIDR, Source.address(ip), ip});
    }
    for (Object[] src : sources) {
      Expectations.Outside kind = (Expectations.Outside) src[0];
      Source source = (Source) src[1];
      for (Service b : topology.services()) {
        for (Port p : b.ports()) {
          Verdict v =
              verifier.check(
                  Query.from(source)
                      .to(Destination.service(b.id(), p.port()))
                      .protocol(p.protocol()));
          String edge = source + " -> " + b.id() + " port " + p;
          boolean exposed = expect.exposed(p, kind, (String) src[2]);
          if (exposed) {
            count("exposed to " + kind);
          }
          Decision l4 = v.cilium().decision();
          if (exposed && l4 != Decision.ALLOW) {
            problem("exposed " + edge + " is not allowed by Cilium", v);
          } else if (!exposed && l4 == Decision.ALLOW) {
            problem("unexposed " + edge + " is allowed by Cilium", v);
          }
          Decision l7 = v.istio().decision();
          if (!expect.l7Applies(b.id(), p)) {
            if (l7 != Decision.N_A) {
              problem("Istio decided " + l7 + " for " + edge + " without an enforcement point", v);
            }
            continue;
          }
          boolean plaintext = expect.plaintextPorts(b.id()).contains(p);
          if (plaintext != (l7 == Decision.ALLOW)) {
            problem(
                "Istio "
                    + l7
                    + " for "
                    + edge
                    + ", expected "
                    + (plaintext ? "ALLOW (a plaintext port, limit 3)" : "DENY"),
                v);
          }
        }
      }
    }
    return this;
  }

  // ------------------------------------------------------------------ egress

  /**
   * Every service against every egress target any service declares (and one nobody does): Cilium
   * allows exactly what the service's own egress covers, up to limit 4 on the mesh route; Istio
   * judges exactly the mesh-routed exact-FQDN egress (per caller) and nothing else.
   */
  public Exactness egress() {
    Set<Egress> targets = new LinkedHashSet<>();
    topology.services().forEach(s -> targets.addAll(s.egress()));
    targets.add(
        Egress.builder()
            .kind(Egress.Kind.FQDN)
            .target("undeclared.example.org")
            .addPorts(443)
            .build());
    for (Service a : topology.services()) {
      for (Egress t : targets) {
        for (int port : t.ports().isEmpty() ? List.of(443) : t.ports()) {
          egress(a, t, port);
        }
      }
    }
    return this;
  }

  private void egress(Service a, Egress t, int port) {
    World w = verifier.world();
    Destination dest;
    String host = null;
    String address;
    switch (t.kind()) {
      case FQDN:
        host = t.isWildcardFqdn() ? "bucket" + t.target().substring(1) : t.target();
        dest = Destination.fqdn(host, port);
        address = w.externalHost(host).ip();
        break;
      case CIDR:
        dest = Destination.cidr(t.target(), port);
        address = w.addressIn(t.target()).ip();
        break;
      default:
        dest = Destination.entity(t.target(), port);
        address = null;
    }
    Verdict v = verifier.check(Query.from(Source.service(a.id())).to(dest).protocol(t.protocol()));
    String edge = a.id() + " -> " + dest + "/" + t.protocol();
    boolean declared = covered(a, t, host, address, port, w);
    count(declared ? "egress declared" : "egress not declared");
    Optional<Waypoint> route = meshRoute(a, host, port, t.protocol());
    Decision l4 = v.cilium().decision();
    if (declared && l4 != Decision.ALLOW) {
      problem("declared egress " + edge + " is not allowed by Cilium", v);
    } else if (!declared && l4 == Decision.ALLOW) {
      if (route.isPresent() && expect.reachesWaypoint(a.id(), route.get())) {
        count("L4 tolerated, limit 4");
      } else {
        problem("undeclared egress " + edge + " is allowed by Cilium", v);
      }
    }
    Decision l7 = v.istio().decision();
    if (route.isPresent()) {
      boolean declaredExact =
          a.egress().stream()
              .anyMatch(
                  x ->
                      x.isMeshRouted()
                          && x.target().equals(t.target())
                          && x.ports().contains(port));
      Decision want = declaredExact ? Decision.ALLOW : Decision.DENY;
      // an undeclared caller L4 already stops never reaches the waypoint: Istio's DENY stands
      if (l7 == Decision.ALLOW
          && !declaredExact
          && expect.sharedIdentityEgress(a.id(), t.target(), port)) {
        count("L7 tolerated, shared identity");
      } else if (l7 != want && !(l7 == Decision.DENY && l4 == Decision.DENY && !declaredExact)) {
        problem("Istio " + l7 + " for mesh-routed " + edge + ", expected " + want, v);
      }
    } else if (l7 != Decision.N_A) {
      problem("Istio decided " + l7 + " for " + edge + ", which passes no waypoint", v);
    }
  }

  /**
   * The namespace waypoint that routes {@code host}:{@code port} for {@code a}: a ServiceEntry
   * exists in a's namespace (some ambient service there declares it, exact, TCP) and a is ambient.
   * Empty for everything else (direct route, or not captured).
   */
  private Optional<Waypoint> meshRoute(Service a, String host, int port, Protocol proto) {
    if (host == null || !a.isAmbient() || proto != Protocol.TCP) {
      return Optional.empty();
    }
    boolean entry =
        topology.services(a.namespace()).stream()
            .filter(Service::isAmbient)
            .flatMap(s -> s.egress().stream())
            .anyMatch(x -> x.isMeshRouted() && x.target().equals(host) && x.ports().contains(port));
    if (!entry) {
      return Optional.empty();
    }
    return topology.waypoints().stream()
        .filter(wp -> wp.routesEgress() && wp.namespace().equals(a.namespace()))
        .findFirst();
  }

  /** Whether a's declared egress covers the destination (Cilium's peer and port semantics). */
  private static boolean covered(
      Service a, Egress t, String host, String address, int port, World w) {
    for (Egress e : a.egress()) {
      boolean portOk =
          e.ports().isEmpty() || (e.ports().contains(port) && e.protocol() == t.protocol());
      if (!portOk) {
        continue;
      }
      switch (t.kind()) {
        case FQDN:
          if (e.kind() == Egress.Kind.FQDN && fqdnMatches(e.target(), host)) {
            return true;
          }
          break;
        case CIDR:
          if (e.kind() == Egress.Kind.CIDR && Expectations.contains(e.target(), address)) {
            return true;
          }
          if (e.kind() == Egress.Kind.ENTITY && e.target().equals("world")) {
            return true;
          }
          break;
        default:
          if (e.kind() == Egress.Kind.ENTITY && entityCovers(e.target(), t.target())) {
            return true;
          }
          if (e.kind() == Egress.Kind.CIDR
              && t.target().equals("world")
              && Expectations.contains(e.target(), w.internet().ip())) {
            return true;
          }
          if (e.kind() == Egress.Kind.CIDR
              && t.target().equals("kube-apiserver")
              && Expectations.contains(e.target(), w.kubeApiserver().ip())) {
            return true;
          }
      }
    }
    return false;
  }

  /**
   * C9: cluster holds host, remote-node and kube-apiserver; the external API server is also world.
   */
  private static boolean entityCovers(String declared, String target) {
    if (declared.equals(target)) {
      return true;
    }
    if (declared.equals("cluster")) {
      return List.of("host", "remote-node", "kube-apiserver").contains(target);
    }
    if (declared.equals("remote-node")) {
      return target.equals("cluster"); // the world represents 'cluster' by a remote node
    }
    return declared.equals("world") && target.equals("kube-apiserver");
  }

  /** C13: matchName exact; a leading "*." matches exactly one more label. */
  private static boolean fqdnMatches(String declared, String host) {
    if (!declared.startsWith("*.")) {
      return declared.equals(host);
    }
    String suffix = declared.substring(1);
    return host.endsWith(suffix) && host.indexOf('.') == host.length() - suffix.length();
  }

  @Override
  public String toString() {
    return "Exactness(" + problems.size() + " problems, seen " + seen + ")";
  }
}
