package dev.lattice.verify.world;

import dev.lattice.model.Protocol;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A {@code ServiceEntry} as the world sees it: the hosts it makes known to the mesh, its ports,
 * labels and visibility.
 */
public final class MeshServiceEntry {
  /** One port of a ServiceEntry. */
  public static final class SePort {
    private final int number;
    private final String name;
    private final Protocol protocol;

    SePort(int number, String name, Protocol protocol) {
      this.number = number;
      this.name = name;
      this.protocol = protocol;
    }

    /** The port number. */
    public int number() {
      return number;
    }

    /** Its name. */
    public String name() {
      return name;
    }

    /** Its transport protocol (HTTP, HTTPS, TLS, GRPC, ... are TCP). */
    public Protocol protocol() {
      return protocol;
    }

    @Override
    public String toString() {
      return number + "/" + protocol;
    }
  }

  private final String namespace;
  private final String name;
  private final List<String> hosts;
  private final List<SePort> ports;
  private final SortedMap<String, String> labels;
  private final List<String> exportTo;

  MeshServiceEntry(
      String namespace,
      String name,
      List<String> hosts,
      List<SePort> ports,
      Map<String, String> labels,
      List<String> exportTo) {
    this.namespace = namespace;
    this.name = name;
    this.hosts = List.copyOf(hosts);
    this.ports = List.copyOf(ports);
    this.labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    this.exportTo = List.copyOf(exportTo);
  }

  /** The namespace. */
  public String namespace() {
    return namespace;
  }

  /** The name. */
  public String name() {
    return name;
  }

  /** Its hosts. */
  public List<String> hosts() {
    return hosts;
  }

  /** Its ports. */
  public List<SePort> ports() {
    return ports;
  }

  /** Its labels (e.g. {@code istio.io/use-waypoint}). */
  public SortedMap<String, String> labels() {
    return labels;
  }

  /** Its {@code exportTo} (empty: exported everywhere). */
  public List<String> exportTo() {
    return exportTo;
  }

  /**
   * Whether clients in {@code namespace} see it ({@code exportTo}: empty, {@code *}, {@code .}, or
   * the namespace).
   */
  public boolean isVisibleFrom(String clientNamespace) {
    if (exportTo.isEmpty() || exportTo.contains("*")) {
      return true;
    }
    return exportTo.contains(clientNamespace)
        || (exportTo.contains(".") && namespace.equals(clientNamespace));
  }

  /**
   * Whether it lists {@code host} (exact, case-insensitive; {@code *.x} matches one or more labels
   * before x).
   */
  public boolean hasHost(String host) {
    String h = Dns.normalize(host);
    for (String mine : hosts) {
      String m = Dns.normalize(mine);
      if (m.equals(h) || (m.startsWith("*.") && h.endsWith(m.substring(1)))) {
        return true;
      }
    }
    return false;
  }

  /** The port {@code number}, if it lists one. */
  public java.util.Optional<SePort> port(int number) {
    for (SePort p : ports) {
      if (p.number() == number) {
        return java.util.Optional.of(p);
      }
    }
    return java.util.Optional.empty();
  }

  @Override
  public String toString() {
    return "ServiceEntry " + namespace + "/" + name + " " + hosts;
  }
}
