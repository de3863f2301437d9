package dev.lattice.verify.world;

import dev.lattice.model.Protocol;
import dev.lattice.model.ServiceId;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One thing in the world that sends or receives packets: a pod (of a service, a waypoint, kube-dns,
 * istiod), a node, the kube-apiserver, an internet client, the ambient probe source, or an external
 * address. Carries what Cilium sees of it (its IP and identity labels) and what Istio sees of it
 * (whether ztunnel captures it, its mesh identity).
 */
public final class Peer {
  /** What kind of peer this is. */
  public enum Kind {
    /** A pod of a declared service. */
    SERVICE_POD,
    /** A waypoint proxy pod (not captured by ztunnel; its own mesh identity). */
    WAYPOINT,
    /** A kube-dns pod. */
    KUBE_DNS,
    /** An istiod pod. */
    ISTIOD,
    /** The node the destination runs on, or a host-network pod there (Cilium {@code host}). */
    HOST,
    /** Another node of the cluster (Cilium {@code remote-node}). */
    REMOTE_NODE,
    /** The Kubernetes API server. */
    KUBE_APISERVER,
    /** A client on the internet (Cilium {@code world}). */
    WORLD,
    /** The address ztunnel sends kubelet probes from (169.254.7.127; world identity). */
    PROBE,
    /** Any other address outside the cluster: an FQDN's address, an address in a CIDR. */
    EXTERNAL;

    /** Whether peers of this kind are pods (Cilium endpoints with policy of their own). */
    public boolean isPod() {
      return this == SERVICE_POD || this == WAYPOINT || this == KUBE_DNS || this == ISTIOD;
    }
  }

  /** A port a pod's container declares. */
  public static final class ContainerPort {
    private final String name;
    private final int number;
    private final Protocol protocol;

    private ContainerPort(String name, int number, Protocol protocol) {
      this.name = name;
      this.number = number;
      this.protocol = protocol;
    }

    /** A container port; {@code name} may be empty. */
    public static ContainerPort of(String name, int number, Protocol protocol) {
      return new ContainerPort(
          Objects.requireNonNull(name), number, Objects.requireNonNull(protocol));
    }

    /** The port's name (IANA service name), possibly empty. */
    public String name() {
      return name;
    }

    /** The port number. */
    public int number() {
      return number;
    }

    /** The protocol. */
    public Protocol protocol() {
      return protocol;
    }

    @Override
    public String toString() {
      return (name.isEmpty() ? "" : name + " ") + number + "/" + protocol;
    }
  }

  private final Kind kind;
  private final String name;
  private final String ip;
  private final String namespace;
  private final SortedMap<String, String> labels;
  private final String serviceAccount;
  private final List<ContainerPort> containerPorts;
  private final boolean captured;
  private final String principal;
  private final ServiceId service;
  private final SortedMap<String, String> identity;

  Peer(
      Kind kind,
      String name,
      String ip,
      String namespace,
      Map<String, String> labels,
      String serviceAccount,
      List<ContainerPort> containerPorts,
      boolean captured,
      String principal,
      ServiceId service,
      Map<String, String> identity) {
    this.kind = kind;
    this.name = name;
    this.ip = ip;
    this.namespace = namespace;
    this.labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    this.serviceAccount = serviceAccount;
    this.containerPorts = List.copyOf(containerPorts);
    this.captured = captured;
    this.principal = principal;
    this.service = service;
    this.identity = Collections.unmodifiableSortedMap(new TreeMap<>(identity));
  }

  /** The kind. */
  public Kind kind() {
    return kind;
  }

  /** A readable name: {@code shop/web-0}, {@code world 198.51.100.7}, ... */
  public String name() {
    return name;
  }

  /** Its IP address. */
  public String ip() {
    return ip;
  }

  /** Whether it is a pod. */
  public boolean isPod() {
    return kind.isPod();
  }

  /** The pod's namespace, or {@code ""} for peers that are not pods. */
  public String namespace() {
    return namespace;
  }

  /** The pod's Kubernetes labels (empty for peers that are not pods). */
  public SortedMap<String, String> labels() {
    return labels;
  }

  /** The pod's service account, or {@code ""}. */
  public String serviceAccount() {
    return serviceAccount;
  }

  /** The ports the pod's containers declare. */
  public List<ContainerPort> containerPorts() {
    return containerPorts;
  }

  /** Whether ztunnel captures the pod's traffic (ambient mode). */
  public boolean isCaptured() {
    return captured;
  }

  /** Whether the pod accepts HBONE (mTLS on 15008): captured pods and waypoints. */
  public boolean isHboneCapable() {
    return captured || kind == Kind.WAYPOINT;
  }

  /** Its mesh identity {@code <trust-domain>/ns/<ns>/sa/<sa>}, for captured pods and waypoints. */
  public Optional<String> principal() {
    return Optional.ofNullable(principal);
  }

  /** The declared service it belongs to, for service pods. */
  public Optional<ServiceId> service() {
    return Optional.ofNullable(service);
  }

  /**
   * The labels of its Cilium security identity, keyed {@code source:key} ({@code k8s:app}, {@code
   * reserved:world}); only labels Cilium keeps (C5).
   */
  public SortedMap<String, String> identity() {
    return identity;
  }

  /** The container port named {@code portName} with {@code protocol}, if the pod declares one. */
  public Optional<ContainerPort> namedPort(String portName, Protocol protocol) {
    for (ContainerPort p : containerPorts) {
      if (p.name().equalsIgnoreCase(portName) && (protocol == null || p.protocol() == protocol)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return name;
  }
}
