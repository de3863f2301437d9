package dev.lattice.verify.replay;

import dev.lattice.verify.Decision;
import dev.lattice.verify.Layer;
import dev.lattice.verify.Verdict;
import dev.lattice.verify.diff.Declared;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One line of a replay's report: a connection observed (or, for {@link Category#UNUSED}, agreed and
 * never observed) with how often and from which line on, and — when the rendered policies were
 * asked — each layer's verdict and reason, the declarations that bear on it, and what to declare.
 *
 * <p>{@link #port()} is the port the flows show, the pods' port (what Cilium sees after service
 * translation); {@link #servicePort()} the Service port it maps to, when one does. Between two
 * ambient pods the flows show the HBONE port 15008 and the application port is hidden ({@link
 * #hbone()}).
 */
public final class Observation {
  /** Which list of the report it belongs to. */
  public enum Category {
    /** Observed, and the rendered policies would deny it. */
    DROPPED,
    /** Observed between two services where neither declares the other; denied. */
    UNDECLARED,
    /** Agreed (or an egress declared) and never observed. */
    UNUSED,
    /** Observed, with an end the graph does not declare: reported, not judged. */
    OUTSIDE,
    /** Observed and allowed by both layers. */
    ALLOWED
  }

  /** What was observed. */
  public enum Kind {
    /** A declared service calling a declared service. */
    SERVICE,
    /** An HTTP request between two declared services (Hubble L7 flows). */
    REQUEST,
    /** A source outside the graph (internet, API server, nodes, probes) calling a service. */
    EXPOSURE,
    /** A declared service calling out of the graph. */
    EGRESS,
    /** Anything else: an end the graph does not declare. */
    OTHER
  }

  static final Comparator<Observation> ORDER =
      Comparator.comparing(Observation::kind)
          .thenComparing(Observation::from)
          .thenComparing(Observation::to)
          .thenComparingInt(Observation::port)
          .thenComparing(Observation::protocol)
          .thenComparing(o -> o.method == null ? "" : o.method)
          .thenComparing(o -> o.path == null ? "" : o.path);

  /**
   * The connection as the report names it: its ends, the port the flows show and the Service port
   * it maps to, and for a request its method and path.
   */
  record Subject(
      String from,
      String to,
      int port,
      String protocol,
      Integer servicePort,
      String portName,
      String method,
      String path,
      boolean hbone) {}

  /** How often it was seen, from which line, with which Hubble verdicts. */
  record Counts(long flows, long firstLine, SortedMap<String, Long> observed) {
    /** Never seen: an agreed connection no flow used. */
    static Counts none() {
      return new Counts(0, 0, new TreeMap<>());
    }

    static Counts of(Seen seen) {
      return new Counts(seen.flows, seen.firstLine, seen.observed());
    }
  }

  /**
   * What the report says of it: the rendered policies' verdict (null when not asked), why in words,
   * the declarations that bear on it, what to declare, and whether the caller's pods run under
   * another account than the spec declares.
   */
  record Judgement(
      Verdict verdict,
      String reason,
      List<Declared> declarations,
      SortedMap<String, String> suggestions,
      boolean identityMismatch) {
    /** Not judged by the policies: only a reason (or none) and the declarations. */
    static Judgement unjudged(String reason, List<Declared> declarations) {
      return new Judgement(null, reason, declarations, new TreeMap<>(), false);
    }
  }

  final Category category;
  final Kind kind;
  final String from;
  final String to;
  final int port;
  final String protocol;
  final Integer servicePort;
  final String portName;
  final String method;
  final String path;
  final boolean hbone;
  final long flows;
  final long firstLine;
  final SortedMap<String, Long> observed;
  final Verdict verdict;
  final String reason;
  final List<Declared> declarations;
  final SortedMap<String, String> suggestions;
  final boolean identityMismatch;

  Observation(Category category, Kind kind, Subject subject, Counts counts, Judgement judgement) {
    this.category = category;
    this.kind = kind;
    this.from = subject.from();
    this.to = subject.to();
    this.port = subject.port();
    this.protocol = subject.protocol();
    this.servicePort = subject.servicePort();
    this.portName = subject.portName();
    this.method = subject.method();
    this.path = subject.path();
    this.hbone = subject.hbone();
    this.flows = counts.flows();
    this.firstLine = counts.firstLine();
    this.observed = counts.observed();
    this.verdict = judgement.verdict();
    this.reason = judgement.reason();
    this.declarations = judgement.declarations().stream().sorted().distinct().toList();
    this.suggestions = judgement.suggestions();
    this.identityMismatch = judgement.identityMismatch();
  }

  /** This observation with {@code suggestions} as what to declare. */
  Observation withSuggestions(SortedMap<String, String> suggestions) {
    return new Observation(
        category,
        kind,
        new Subject(from, to, port, protocol, servicePort, portName, method, path, hbone),
        new Counts(flows, firstLine, observed),
        new Judgement(verdict, reason, declarations, suggestions, identityMismatch));
  }

  /** Which list it belongs to. */
  public Category category() {
    return category;
  }

  /** What was observed. */
  public Kind kind() {
    return kind;
  }

  /**
   * The caller: {@code ns/name}, {@code world} (or {@code world in <CIDR>}), {@code
   * kube-apiserver}, ... or, for {@link Category#OUTSIDE}, the pod's namespace and workload.
   */
  public String from() {
    return from;
  }

  /** The destination: {@code ns/name}, {@code fqdn <name>}, {@code address <ip>}, ... */
  public String to() {
    return to;
  }

  /** The destination port the flows show: the pods' port (15008 for HBONE). */
  public int port() {
    return port;
  }

  /** {@code TCP}, {@code UDP} or {@code SCTP}. */
  public String protocol() {
    return protocol;
  }

  /** The Service port {@link #port()} maps to, when the destination is a service and one does. */
  public OptionalInt servicePort() {
    return servicePort == null ? OptionalInt.empty() : OptionalInt.of(servicePort);
  }

  /** The name of that port. */
  public Optional<String> portName() {
    return Optional.ofNullable(portName);
  }

  /** The HTTP method, for {@link Kind#REQUEST}. */
  public Optional<String> method() {
    return Optional.ofNullable(method);
  }

  /** The HTTP path, for {@link Kind#REQUEST}. */
  public Optional<String> path() {
    return Optional.ofNullable(path);
  }

  /** Whether the flows were HBONE (TCP 15008 between ambient pods): the app port is hidden. */
  public boolean hbone() {
    return hbone;
  }

  /** How many flows (connection attempts) were observed; 0 for {@link Category#UNUSED}. */
  public long flows() {
    return flows;
  }

  /** The line of the first such flow; 0 for {@link Category#UNUSED}. */
  public long firstLine() {
    return firstLine;
  }

  /** The verdicts Hubble recorded for those flows, counted ({@code FORWARDED}, {@code DROPPED}). */
  public Map<String, Long> observed() {
    return observed;
  }

  /** The rendered policies' verdict, when they were asked. */
  public Optional<Verdict> verdict() {
    return Optional.ofNullable(verdict);
  }

  /**
   * The layers that deny it (empty when allowed or not judged). Istio also denies a caller whose
   * pods run under another service account than the spec declares: the policies name the declared
   * one's principal.
   */
  public Set<Layer> denyingLayers() {
    Set<Layer> out = EnumSet.noneOf(Layer.class);
    if (identityMismatch) {
      out.add(Layer.ISTIO);
    }
    if (verdict != null) {
      for (Layer l : Layer.values()) {
        if (verdict.layer(l).decision() == Decision.DENY) {
          out.add(l);
        }
      }
    }
    return out;
  }

  /** Why, in words, when the verdict alone does not say it (no such port, identity, outside). */
  public Optional<String> reason() {
    return Optional.ofNullable(reason);
  }

  /** The declarations that bear on it (both sides' words about each other, or the egress). */
  public List<Declared> declarations() {
    return declarations;
  }

  /**
   * What to declare, per service ({@code ns/name}): a YAML fragment and where it goes. For {@link
   * Category#UNDECLARED} both sides; for a one-sided {@link Category#DROPPED} the missing side.
   */
  public Map<String, String> suggestions() {
    return suggestions;
  }

  /** {@code storefront/web -> storefront/api 8080/TCP [GET /x]}. */
  public String connection() {
    return from
        + " -> "
        + to
        + " "
        + port
        + "/"
        + protocol
        + (method == null ? "" : " " + method + " " + path);
  }

  @Override
  public String toString() {
    return category + " " + connection() + (flows > 0 ? " (" + flows + " flows)" : "");
  }
}
