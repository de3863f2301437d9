package dev.lattice.verify;

import dev.lattice.model.Protocol;
import dev.lattice.model.ServiceId;
import dev.lattice.verify.world.KubeService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every (caller service, callee service, callee Service port) of a world with each layer's
 * decision; self pairs stand for peer traffic between two pods of a service.
 *
 * <pre>{@code
 * ConnectivityMatrix m = verifier.matrix();
 * m.entries().stream().filter(ConnectivityMatrix.Entry::allowed).forEach(System.out::println);
 * System.out.print(m.render());
 * }</pre>
 */
public final class ConnectivityMatrix {
  /** One cell: a caller, a callee port, and the verdict. */
  public static final class Entry {
    private final Verdict verdict;
    private final ServiceId from;
    private final ServiceId to;
    private final int port;
    private final Protocol protocol;

    Entry(Verdict verdict, ServiceId from, ServiceId to, int port, Protocol protocol) {
      this.verdict = verdict;
      this.from = from;
      this.to = to;
      this.port = port;
      this.protocol = protocol;
    }

    /** The caller. */
    public ServiceId from() {
      return from;
    }

    /** The callee. */
    public ServiceId to() {
      return to;
    }

    /** The callee's Service port. */
    public int port() {
      return port;
    }

    /** The port's protocol. */
    public Protocol protocol() {
      return protocol;
    }

    /** Cilium's decision. */
    public Decision cilium() {
      return verdict.cilium().decision();
    }

    /** Istio's decision. */
    public Decision istio() {
      return verdict.istio().decision();
    }

    /** Whether the connection works. */
    public boolean allowed() {
      return verdict.allowed();
    }

    /** The full verdict. */
    public Verdict verdict() {
      return verdict;
    }

    @Override
    public String toString() {
      return from
          + " -> "
          + to
          + ":"
          + port
          + "/"
          + protocol
          + " cilium="
          + cilium()
          + " istio="
          + istio();
    }
  }

  private final List<Entry> entries;

  private ConnectivityMatrix(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * The matrix of {@code verifier}'s world: every ordered pair of services and every port of the
   * callee.
   */
  public static ConnectivityMatrix of(Verifier verifier) {
    List<Entry> out = new ArrayList<>();
    List<KubeService> services = verifier.world().services();
    for (KubeService from : services) {
      for (KubeService to : services) {
        for (KubeService.ServicePort p : to.ports()) {
          Query q =
              Query.from(Source.service(from.id()))
                  .to(Destination.service(to.id(), p.port()))
                  .protocol(p.protocol());
          out.add(new Entry(verifier.check(q), from.id(), to.id(), p.port(), p.protocol()));
        }
      }
    }
    return new ConnectivityMatrix(out);
  }

  /** Every entry, by caller, callee and port. */
  public List<Entry> entries() {
    return entries;
  }

  /** The entry of {@code from} calling {@code to} on {@code port}. */
  public Optional<Entry> entry(String from, String to, int port) {
    ServiceId f = ServiceId.parse(from, "default");
    ServiceId t = ServiceId.parse(to, "default");
    for (Entry e : entries) {
      if (e.from.equals(f) && e.to.equals(t) && e.port == port) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** The entries whose connection works. */
  public List<Entry> allowed() {
    return entries.stream().filter(Entry::allowed).toList();
  }

  /** A table: one line per entry, {@code from -> to:port/proto cilium istio verdict}. */
  public String render() {
    int w1 = 4;
    int w2 = 2;
    for (Entry e : entries) {
      w1 = Math.max(w1, e.from.toString().length());
      w2 = Math.max(w2, (e.to + ":" + e.port + "/" + e.protocol).length());
    }
    StringBuilder sb = new StringBuilder();
    sb.append(pad("from", w1))
        .append("  ")
        .append(pad("to", w2))
        .append("  cilium  istio  connection\n");
    for (Entry e : entries) {
      sb.append(pad(e.from.toString(), w1))
          .append("  ")
          .append(pad(e.to + ":" + e.port + "/" + e.protocol, w2))
          .append("  ")
          .append(pad(e.cilium().name(), 6))
          .append("  ")
          .append(pad(e.istio().name(), 5))
          .append("  ")
          .append(e.allowed() ? "allowed" : "denied")
          .append('\n');
    }
    return sb.toString();
  }

  private static String pad(String s, int w) {
    return s.length() >= w ? s : s + " ".repeat(w - s.length());
  }

  @Override
  public String toString() {
    return "ConnectivityMatrix(" + entries.size() + " entries, " + allowed().size() + " allowed)";
  }
}
