package dev.lattice.graph;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.internal.Names;
import dev.lattice.model.Declaration;
import dev.lattice.model.Direction;
import dev.lattice.model.HttpRule;
import dev.lattice.model.PeerRef;
import dev.lattice.model.Port;
import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import dev.lattice.model.SourceLocation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One service as resolution sees it: the service, its declarations indexed per side, the peers it
 * names, and the diagnostics that depend on nothing but the service itself (names, ports, egress,
 * exposures, the syntax of each declaration). Immutable once built; depends only on the service and
 * the settings, so an update rebuilds only the nodes of changed services.
 */
final class Node {
  final Service service;
  final ServiceId id;

  /** {@code id} as text, made once: every edge and model path of the service starts with it. */
  final String text;

  /** Explicit outbound side per peer, in declaration order. */
  final Map<ServiceId, Declaration> out = new IdMap<>();

  /** Explicit inbound side per peer, in declaration order. */
  final Map<ServiceId, Declaration> in = new IdMap<>();

  /** The wildcard outbound side, or null. */
  Declaration outAny;

  /** The wildcard inbound side, or null. */
  Declaration inAny;

  /**
   * The inbound declaration of the platform's metrics scraper that the settings add (DESIGN §3,
   * {@link Settings#metricsScraper()}), or null: it is nobody's word, so resolution reports neither
   * an unknown scraper nor a scraper that does not scrape this service, per service.
   */
  Declaration implicitScraper;

  /**
   * Diagnostics about this service alone: read-only once built, and made at the first (most
   * services have none, and at 50,000 an empty list each was 50,000 more objects for the collector
   * to copy).
   */
  List<Diagnostic> diagnostics = List.of();

  private final Settings settings;

  Node(Service service, Settings settings) {
    this(service, settings, Map.of());
  }

  /**
   * With {@code known}: each declared service's id, keyed by itself. A peer that names one of them
   * is keyed by that very instance, which every map of resolution is keyed by too: their lookups
   * then end at the first reference comparison instead of comparing two ids' strings (at 50,000
   * services, the comparisons and the cache misses of reading both ids were a tenth of a full
   * resolution).
   */
  Node(Service service, Settings settings, Map<ServiceId, ServiceId> known) {
    this.service = service;
    this.id = service.id();
    this.text = id.toString();
    this.settings = settings;
    ServiceChecks.run(this, settings);
    indexDeclarations(this, known);
    admitMetricsScraper(this, known);
    this.names = names(out, in);
  }

  /**
   * The keys of {@code out}, then those of {@code in} that are not in {@code out}. Walked with
   * forEach, not through keySet(): a map keeps the view it hands out for its lifetime, and the
   * nodes' maps live as long as the topology (two views per node were 100,000 objects at 50,000
   * services, copied by every collection).
   */
  private static List<ServiceId> names(
      Map<ServiceId, Declaration> out, Map<ServiceId, Declaration> in) {
    ServiceId[] all = new ServiceId[out.size() + in.size()];
    int[] k = {0};
    out.forEach((peer, d) -> all[k[0]++] = peer);
    in.forEach(
        (peer, d) -> {
          if (!out.containsKey(peer)) {
            all[k[0]++] = peer;
          }
        });
    return List.of(k[0] == all.length ? all : Arrays.copyOf(all, k[0]));
  }

  /** Every service this one names explicitly, on either side (unknown ones included), once. */
  List<ServiceId> names() {
    return names;
  }

  /** The outbound peers, then the other inbound ones; a list (it is only walked), made once. */
  private final List<ServiceId> names;

  /** The callee-side declaration toward {@code caller}: explicit, else the wildcard, else null. */
  Declaration inboundFor(ServiceId caller) {
    Declaration d = in.get(caller);
    return d != null ? d : inAny;
  }

  private void indexDeclarations(Node n, Map<ServiceId, ServiceId> known) {
    Service s = n.service;
    for (Declaration d : s.declarations()) {
      // the model path is built only if something is reported: this runs once per declaration
      Object path = new DeclarationPath(n.id, d);
      Optional<SourceLocation> at = d.source().isPresent() ? d.source() : s.source();
      PeerRef peer = d.peer();
      boolean wildcard = peer.isWildcard();
      ServiceId peerId = wildcard ? null : canonical(peer.resolve(s.namespace()), known);
      boolean usable = true;
      if (wildcard) {
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
        String bad = Names.serviceName("peer name", peer.name());
        if (bad == null && peer.namespace().isPresent()) {
          bad = Names.dnsLabel("peer namespace", peer.namespace().get());
        }
        if (bad != null) {
          report(DiagnosticCode.INVALID_NAME, path, at, bad);
          usable = false;
        } else if (peerId.equals(n.id)) {
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
                + (wildcard ? "the callees'" : peerId + "'s")
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
        r.methods()
            .forEach(m -> check(DiagnosticCode.INVALID_HTTP_RULE, path, rat, Names.httpMethod(m)));
        r.paths()
            .forEach(p -> check(DiagnosticCode.INVALID_HTTP_RULE, path, rat, Names.httpPath(p)));
      }
      if (d.direction().isInbound()) {
        checkInboundSide(n, d, path, at);
      }
      if (d.byPodIp() && d.direction().isInbound() && !d.httpRules().isEmpty()) {
        // R5: pod-IP traffic never passes a waypoint, so no layer could enforce the rules
        report(
            DiagnosticCode.HTTP_WITHOUT_WAYPOINT,
            path,
            at,
            "the declaration says "
                + (wildcard ? "its callers dial" : peerId + " dials")
                + " the pods of "
                + n.id
                + " by IP, which never passes a waypoint, so its HTTP rules would be enforced by"
                + " neither layer; remove the HTTP rules, or podIp if the caller calls the"
                + " Service");
      }
      if (!usable) {
        continue;
      }
      if (d.direction().isOutbound()) {
        if (wildcard) {
          if (n.outAny != null) {
            duplicate(path, at, n.id, "*", "outbound");
          } else {
            n.outAny = d;
          }
        } else if (n.out.putIfAbsent(peerId, d) != null) {
          duplicate(path, at, n.id, peerId.toString(), "outbound");
        }
      }
      if (d.direction().isInbound()) {
        if (wildcard) {
          if (n.inAny != null) {
            duplicate(path, at, n.id, "*", "inbound");
          } else {
            n.inAny = d;
          }
        } else if (n.in.putIfAbsent(peerId, d) != null) {
          duplicate(path, at, n.id, peerId.toString(), "inbound");
        }
      }
    }
  }

  /**
   * With {@link Settings#metricsScraper()}, the platform's implicit inbound side: a service with a
   * scraped port admits the scraper on that port alone, by pod IP (the platform's {@code
   * VMServiceScrape} scrapes endpoints), unless it declares the scraper, or any service, inbound
   * itself.
   */
  private void admitMetricsScraper(Node n, Map<ServiceId, ServiceId> known) {
    Optional<ServiceId> scraper = settings.metricsScraper();
    Optional<Port> scraped = n.service.scrapedPort();
    if (scraper.isEmpty()
        || scraped.isEmpty()
        || scraper.get().equals(n.id)
        || n.in.containsKey(scraper.get())
        || n.inAny != null) {
      return;
    }
    Declaration d = MetricsScraper.inbound(scraper.get(), scraped.get(), n.service);
    n.in.put(canonical(scraper.get(), known), d);
    n.implicitScraper = d;
  }

  private static ServiceId canonical(ServiceId id, Map<ServiceId, ServiceId> known) {
    ServiceId k = known.get(id);
    return k != null ? k : id;
  }

  /** The inbound side names the declarer's own ports and grants the HTTP rules. */
  private void checkInboundSide(Node n, Declaration d, Object path, Optional<SourceLocation> at) {
    Service s = n.service;
    for (String name : d.ports()) {
      if (s.port(name).isEmpty()) {
        report(
            DiagnosticCode.UNKNOWN_PORT,
            path,
            at,
            n.id
                + " admits its port \""
                + name
                + "\", which it does not have; its ports are "
                + PortNames.of(s));
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
          n.id
              + " is not in the mesh, so no waypoint sees its requests and its HTTP rules would"
              + " be enforced by neither layer; enroll it in the mesh or remove the HTTP rules");
      return;
    }
    for (Port p : s.ports()) {
      if (p.protocol() != Protocol.TCP && (d.ports().isEmpty() || d.ports().contains(p.name()))) {
        report(
            DiagnosticCode.HTTP_WITHOUT_WAYPOINT,
            path,
            at,
            "the HTTP rules would cover port \""
                + p.name()
                + "\" ("
                + p.protocol()
                + "), which"
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
      Object path, Optional<SourceLocation> at, ServiceId id, String peer, String side) {
    report(
        DiagnosticCode.DUPLICATE_DECLARATION,
        path,
        at,
        id + " declares " + peer + " " + side + " more than once; merge the declarations into one");
  }

  void check(DiagnosticCode code, Object path, Optional<SourceLocation> at, String problem) {
    if (problem != null) {
      report(code, path, at, problem);
    }
  }

  void report(DiagnosticCode code, Object path, Optional<SourceLocation> at, String message) {
    if (diagnostics.isEmpty()) {
      diagnostics = new ArrayList<>(2);
    }
    diagnostics.add(Diagnostic.of(code, path.toString(), at, message));
  }
}
