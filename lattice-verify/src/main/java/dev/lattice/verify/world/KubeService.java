package dev.lattice.verify.world;

import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The Kubernetes Service of a declared service: its ClusterIP, its ports (what clients dial, and
 * the target port the pods listen on), its labels as applied in the cluster, and its pods.
 */
public final class KubeService {
  /** One port of the Service: {@code port} (what clients dial) to {@code targetPort}. */
  public static final class ServicePort {
    private final String name;
    private final int port;
    private final int targetPort;
    private final Protocol protocol;

    ServicePort(String name, int port, int targetPort, Protocol protocol) {
      this.name = name;
      this.port = port;
      this.targetPort = targetPort;
      this.protocol = protocol;
    }

    /** The port's name. */
    public String name() {
      return name;
    }

    /** The Service port, what clients dial. */
    public int port() {
      return port;
    }

    /** The container port the pods listen on. */
    public int targetPort() {
      return targetPort;
    }

    /** The protocol. */
    public Protocol protocol() {
      return protocol;
    }

    @Override
    public String toString() {
      return name + " " + port + (targetPort != port ? "->" + targetPort : "") + "/" + protocol;
    }
  }

  private final Service service;
  private final String clusterIp;
  private final SortedMap<String, String> labels;
  private final List<ServicePort> ports;
  private final Peer pod;
  private final Peer replica;

  KubeService(
      Service service,
      String clusterIp,
      Map<String, String> labels,
      List<ServicePort> ports,
      Peer pod,
      Peer replica) {
    this.service = service;
    this.clusterIp = clusterIp;
    this.labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    this.ports = List.copyOf(ports);
    this.pod = pod;
    this.replica = replica;
  }

  /** {@code namespace/name}. */
  public ServiceId id() {
    return service.id();
  }

  /** The namespace. */
  public String namespace() {
    return service.namespace();
  }

  /** The name. */
  public String name() {
    return service.name();
  }

  /** The declared service. */
  public Service service() {
    return service;
  }

  /** Its ClusterIP. */
  public String clusterIp() {
    return clusterIp;
  }

  /** The Service object's labels, including required labels when the world applied them. */
  public SortedMap<String, String> labels() {
    return labels;
  }

  /** Its ports. */
  public List<ServicePort> ports() {
    return ports;
  }

  /** The Service port {@code port} with {@code protocol} (any protocol when null). */
  public Optional<ServicePort> port(int port, Protocol protocol) {
    for (ServicePort p : ports) {
      if (p.port() == port && (protocol == null || p.protocol() == protocol)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Its pod (the one clients reach). */
  public Peer pod() {
    return pod;
  }

  /** A second pod of the service, with the same labels and identity: the peer of peer traffic. */
  public Peer replica() {
    return replica;
  }

  /**
   * The name by which a peer finds {@code pod} of this service through its headless Service: {@code
   * <pod hostname>.<podSubdomain>}, relative, as a StatefulSet's or a training gang's peers write
   * it ({@code MASTER_ADDR=etl-master-0.etl}); the client's search path completes it.
   */
  public String podName(Peer pod) {
    return pod.name().substring(pod.name().indexOf('/') + 1) + "." + service.podSubdomain();
  }

  /** The headless Service's record of {@code pod}: {@code <podName>.<namespace>.svc.<domain>}. */
  public String podRecord(Peer pod, String clusterDomain) {
    return podName(pod) + "." + namespace() + ".svc." + clusterDomain;
  }

  /** The DNS name {@code <name>.<namespace>.svc.<clusterDomain>}. */
  public String hostname(String clusterDomain) {
    return name() + "." + namespace() + ".svc." + clusterDomain;
  }

  @Override
  public String toString() {
    return "Service " + id();
  }
}
