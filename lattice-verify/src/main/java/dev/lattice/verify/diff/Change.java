package dev.lattice.verify.diff;

import dev.lattice.model.Protocol;
import dev.lattice.verify.Decision;
import dev.lattice.verify.Layer;
import dev.lattice.verify.Verdict;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One connection whose verdict differs between two renderings: a caller and a destination on a port
 * (and, for {@link Kind#REQUEST}, an HTTP request), each layer's decision before and after, and the
 * declarations that bear on it on each side.
 *
 * <p>A layer <em>opens</em> a connection when it stops stopping it: its decision goes from deny (or
 * the connection did not exist) to allow, or from deny to not applicable (it no longer enforces
 * there). It <em>closes</em> it in the reverse cases. A move between allow and not applicable (an
 * enforcement point appears or disappears, the traffic passes either way) is a <em>change</em> that
 * neither opens nor closes. A side where the caller, the callee or the port does not exist is
 * <em>absent</em>: nothing connects there.
 *
 * <p>Ports: for service destinations (kinds {@code SERVICE}, {@code REQUEST}, {@code EXPOSURE})
 * {@link #port()} is the <em>Service</em> port, what clients dial, and {@link #targetPort()} the
 * port the pods listen on (what Cilium and ztunnel see); for {@code EGRESS} it is the port dialled.
 */
public final class Change implements Comparable<Change> {
  /** What was judged. */
  public enum Kind {
    /** A declared service calling a declared service on a Service port. */
    SERVICE,
    /** One HTTP request on such a connection, where some side's agreement has HTTP rules. */
    REQUEST,
    /** A declared service calling out of the graph: an FQDN, a CIDR or a Cilium entity. */
    EGRESS,
    /** A source outside the graph (internet, API server, nodes, an address) calling a service. */
    EXPOSURE
  }

  private static final Comparator<Change> ORDER =
      Comparator.comparing(Change::kind)
          .thenComparing(Change::from)
          .thenComparing(Change::to)
          .thenComparingInt(Change::port)
          .thenComparing(Change::protocol)
          .thenComparing(c -> c.method == null ? "" : c.method)
          .thenComparing(c -> c.path == null ? "" : c.path);

  private final Kind kind;
  private final String from;
  private final String to;
  private final int port;
  private final Integer targetPort;
  private final String portName;
  private final Protocol protocol;
  private final String method;
  private final String path;
  private final String requestRule;
  private final Verdict before;
  private final Verdict after;
  private final List<Declared> declaredBefore;
  private final List<Declared> declaredAfter;

  Change(
      Kind kind,
      String from,
      String to,
      int port,
      Integer targetPort,
      String portName,
      Protocol protocol,
      String method,
      String path,
      String requestRule,
      Verdict before,
      Verdict after,
      List<Declared> declaredBefore,
      List<Declared> declaredAfter) {
    this.kind = kind;
    this.from = from;
    this.to = to;
    this.port = port;
    this.targetPort = targetPort;
    this.portName = portName;
    this.protocol = protocol;
    this.method = method;
    this.path = path;
    this.requestRule = requestRule;
    this.before = before;
    this.after = after;
    this.declaredBefore = declaredBefore.stream().sorted().distinct().toList();
    this.declaredAfter = declaredAfter.stream().sorted().distinct().toList();
  }

  /** What was judged. */
  public Kind kind() {
    return kind;
  }

  /** The caller: {@code ns/name}, or an outside source ({@code world}, an address, ...). */
  public String from() {
    return from;
  }

  /**
   * The destination: {@code ns/name}, or {@code fqdn api.stripe.com}, {@code cidr 10.0.0.0/8},
   * {@code entity kube-apiserver}.
   */
  public String to() {
    return to;
  }

  /** The Service port for service destinations; the port dialled for egress. */
  public int port() {
    return port;
  }

  /** The pods' port (the Service's target port), for service destinations. */
  public OptionalInt targetPort() {
    return targetPort == null ? OptionalInt.empty() : OptionalInt.of(targetPort);
  }

  /** The port's name, for service destinations. */
  public Optional<String> portName() {
    return Optional.ofNullable(portName);
  }

  /** The protocol. */
  public Protocol protocol() {
    return protocol;
  }

  /** The request's method, for {@link Kind#REQUEST}. */
  public Optional<String> method() {
    return Optional.ofNullable(method);
  }

  /** The request's path, for {@link Kind#REQUEST}. */
  public Optional<String> path() {
    return Optional.ofNullable(path);
  }

  /**
   * For {@link Kind#REQUEST}: the declared HTTP rule the request stands for ({@code GET /api/*}),
   * or {@code any other request} for the probe no rule names.
   */
  public Optional<String> requestRule() {
    return Optional.ofNullable(requestRule);
  }

  /** The verdict before; empty when the connection did not exist (absent). */
  public Optional<Verdict> before() {
    return Optional.ofNullable(before);
  }

  /** The verdict after; empty when the connection no longer exists (absent). */
  public Optional<Verdict> after() {
    return Optional.ofNullable(after);
  }

  /** {@code layer}'s decision before; empty when absent. */
  public Optional<Decision> before(Layer layer) {
    return before == null ? Optional.empty() : Optional.of(before.layer(layer).decision());
  }

  /** {@code layer}'s decision after; empty when absent. */
  public Optional<Decision> after(Layer layer) {
    return after == null ? Optional.empty() : Optional.of(after.layer(layer).decision());
  }

  /** Whether the connection worked before (both layers let it through). */
  public boolean allowedBefore() {
    return before != null && before.allowed();
  }

  /** Whether the connection works after. */
  public boolean allowedAfter() {
    return after != null && after.allowed();
  }

  /** The declarations that bore on it before (both sides' words about each other). */
  public List<Declared> declaredBefore() {
    return declaredBefore;
  }

  /** The declarations that bear on it after. */
  public List<Declared> declaredAfter() {
    return declaredAfter;
  }

  /** The layers that open it (see the class comment). */
  public Set<Layer> openedLayers() {
    Set<Layer> out = EnumSet.noneOf(Layer.class);
    for (Layer l : Layer.values()) {
      if (opens(before(l).orElse(null), after(l).orElse(null))) {
        out.add(l);
      }
    }
    return out;
  }

  /** The layers that close it. */
  public Set<Layer> closedLayers() {
    Set<Layer> out = EnumSet.noneOf(Layer.class);
    for (Layer l : Layer.values()) {
      if (opens(after(l).orElse(null), before(l).orElse(null))) {
        out.add(l);
      }
    }
    return out;
  }

  /** The layers whose enforcement point appears or disappears (allow ⇄ not applicable). */
  public Set<Layer> changedLayers() {
    Set<Layer> out = EnumSet.noneOf(Layer.class);
    for (Layer l : Layer.values()) {
      Decision b = before(l).orElse(null);
      Decision a = after(l).orElse(null);
      if ((b == Decision.ALLOW && a == Decision.N_A)
          || (b == Decision.N_A && a == Decision.ALLOW)) {
        out.add(l);
      }
    }
    return out;
  }

  /** Whether some layer opens it. */
  public boolean opens() {
    return !openedLayers().isEmpty();
  }

  /** Whether some layer closes it. */
  public boolean closes() {
    return !closedLayers().isEmpty();
  }

  /** Whether anything about it differs that a reader should see. */
  boolean isChange() {
    return opens() || closes() || !changedLayers().isEmpty();
  }

  /**
   * From {@code from} to {@code to}, does a layer stop stopping it? Null is absent. Deny or absent
   * to allow opens; deny to not applicable opens (the layer no longer enforces there); absent to
   * not applicable does not (there was nothing, and the layer still does not apply).
   */
  static boolean opens(Decision from, Decision to) {
    if (to == Decision.ALLOW) {
      return from == null || from == Decision.DENY;
    }
    return to == Decision.N_A && from == Decision.DENY;
  }

  @Override
  public int compareTo(Change o) {
    return ORDER.compare(this, o);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Change)) {
      return false;
    }
    Change c = (Change) o;
    return c.kind == kind
        && c.from.equals(from)
        && c.to.equals(to)
        && c.port == port
        && c.protocol == protocol
        && Objects.equals(c.method, method)
        && Objects.equals(c.path, path);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, from, to, port, protocol, method, path);
  }

  /** {@code shop/web -> shop/api 80/TCP [GET /x]}. */
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

  /** {@code shop/web -> shop/api 80/TCP: cilium DENY -> ALLOW, istio DENY -> ALLOW}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(connection()).append(':');
    for (Layer l : Layer.values()) {
      sb.append(l == Layer.CILIUM ? " " : ", ")
          .append(l.name().toLowerCase(java.util.Locale.ROOT))
          .append(' ')
          .append(before(l).map(Enum::name).orElse("ABSENT"))
          .append(" -> ")
          .append(after(l).map(Enum::name).orElse("ABSENT"));
    }
    return sb.toString();
  }
}
