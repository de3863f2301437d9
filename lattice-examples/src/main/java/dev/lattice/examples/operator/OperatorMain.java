package dev.lattice.examples.operator;

import dev.lattice.model.Settings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs the {@link LatticeOperator} against the cluster of the current kubeconfig context (or, in a
 * pod, its service account), allowed what {@code operator/rbac.yaml} grants, until killed: it
 * watches the Lattice custom resources in every namespace and keeps the cluster's Cilium and Istio
 * policies rendered from them. It renders with the default settings (trust domain and cluster
 * domain {@code cluster.local}, ...); a cluster configured otherwise embeds {@link
 * LatticeOperator#start} with its own {@link Settings}.
 *
 * <p>Replicas elect a leader ({@link LeaderElectedOperator}) with the Lease {@code
 * lattice-operator} in the namespace {@code LATTICE_OPERATOR_NAMESPACE} names, else the pod's own
 * (in a cluster), else {@code lattice-system}; only the holder runs the operator. A replica that
 * loses the lease exits with status 1, for Kubernetes to restart it.
 */
public final class OperatorMain {
  private OperatorMain() {}

  /** The full sync (repairing drift) at least this often. */
  static final Duration RESYNC_EVERY = Duration.ofMinutes(5);

  /** How often to ask which Lattice CRDs the cluster serves, and to retry failed writes. */
  static final Duration CHECK_EVERY = Duration.ofSeconds(30);

  /** The namespace of the lease when neither the environment nor the pod says. */
  static final String DEFAULT_NAMESPACE = "lattice-system";

  private static final Path POD_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  /** Runs the operator until the JVM is stopped. */
  public static void main(String[] args) {
    KubernetesClient client = new KubernetesClientBuilder().build();
    String namespace = leaseNamespace();
    Optional<String> problem;
    try {
      problem = leaseProblem(client, namespace);
    } catch (KubernetesClientException e) {
      // unreachable, or refused otherwise: in a pod, the restart retries
      problem =
          Optional.of(
              "could not ask the API server about the lease in "
                  + namespace
                  + ": "
                  + e.getMessage());
    }
    if (problem.isPresent()) {
      System.err.println("lattice operator: " + problem.get());
      client.close();
      System.exit(2);
    }
    LeaderElectedOperator operator =
        LeaderElectedOperator.start(
            client,
            Settings.defaults(),
            RESYNC_EVERY,
            CHECK_EVERY,
            LeaderElectedOperator.Lease.of(namespace, identity()),
            // the shutdown hook below stops the operator and closes the client
            () -> System.exit(1));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  operator.close();
                  client.close();
                }));
  }

  /**
   * Why the replica could never hold a lease in {@code namespace}, with the fix; empty when nothing
   * says so. The elector itself would only log a stack trace on every try, forever. The namespace
   * must exist (asked only where the account may read namespaces) and the account may read leases
   * there.
   */
  static Optional<String> leaseProblem(KubernetesClient client, String namespace) {
    try {
      if (client.namespaces().withName(namespace).get() == null) {
        return Optional.of(
            "the namespace "
                + namespace
                + " of the leader election's Lease does not exist: create it (operator/rbac.yaml"
                + " creates lattice-system), or set LATTICE_OPERATOR_NAMESPACE to the operator's");
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 403) {
        throw e;
      }
      // may not read namespaces: the lease check below still speaks for RBAC
    }
    try {
      LeaderElectedOperator.object(client, namespace, LeaderElectedOperator.Lease.NAME).get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        return Optional.of(
            "the operator's account may not read the Lease "
                + namespace
                + "/"
                + LeaderElectedOperator.Lease.NAME
                + " that elects the replica that runs: grant get, create and update on leases"
                + " (API group coordination.k8s.io) in "
                + namespace
                + ", as the Role lattice-operator-leader of operator/rbac.yaml does");
      }
      throw e;
    }
    return Optional.empty();
  }

  /** {@code LATTICE_OPERATOR_NAMESPACE}, else the pod's namespace, else {@code lattice-system}. */
  static String leaseNamespace() {
    String env = System.getenv("LATTICE_OPERATOR_NAMESPACE");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    try {
      String own = Files.readString(POD_NAMESPACE, StandardCharsets.UTF_8).strip();
      if (!own.isEmpty()) {
        return own;
      }
    } catch (IOException e) {
      // not in a pod
    }
    return DEFAULT_NAMESPACE;
  }

  /**
   * The pod's name (or the host's) and a random suffix: two processes on one host are two
   * candidates, and a restarted process never mistakes its predecessor's lease for its own.
   */
  static String identity() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        host = "lattice-operator";
      }
    }
    return host.strip() + "_" + UUID.randomUUID().toString().substring(0, 8);
  }
}
