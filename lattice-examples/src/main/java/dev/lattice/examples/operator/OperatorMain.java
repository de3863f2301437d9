package dev.lattice.examples.operator;

import dev.lattice.model.Settings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;

/**
 * Runs the {@link LatticeOperator} against the cluster of the current kubeconfig context (or, in a
 * pod, its service account), allowed what {@code operator/rbac.yaml} grants, until killed: it
 * watches the Lattice custom resources in every namespace and keeps the cluster's Cilium and Istio
 * policies rendered from them. It renders with the default settings (trust domain and cluster
 * domain {@code cluster.local}, ...); a cluster configured otherwise embeds {@link
 * LatticeOperator#start} with its own {@link Settings}.
 */
public final class OperatorMain {
  private OperatorMain() {}

  /** The full sync (repairing drift) at least this often. */
  static final Duration RESYNC_EVERY = Duration.ofMinutes(5);

  /** How often to ask which Lattice CRDs the cluster serves, and to retry failed writes. */
  static final Duration CHECK_EVERY = Duration.ofSeconds(30);

  /** Runs the operator until the JVM is stopped. */
  public static void main(String[] args) {
    KubernetesClient client = new KubernetesClientBuilder().build();
    LatticeOperator operator =
        LatticeOperator.start(client, Settings.defaults(), RESYNC_EVERY, CHECK_EVERY);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  operator.close();
                  client.close();
                }));
  }
}
