package dev.lattice.examples.operator;

import dev.lattice.model.Settings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.Objects;

/**
 * The Lattice operator on the Java Operator SDK: watches {@code LatticeService} and {@code
 * LatticeMeshMember} objects in every namespace and keeps the cluster's Cilium and Istio policies
 * rendered from them (see {@link ClusterReconciler}). Run it with a kubeconfig (or in a pod with a
 * service account) allowed what {@code operator/rbac.yaml} grants; install {@code
 * operator/crds.yaml} first. One replica: it does not elect a leader.
 *
 * <pre>{@code
 * Operator operator = OperatorMain.start(client, Settings.defaults(), Duration.ofMinutes(5));
 * ...
 * operator.stop();
 * }</pre>
 */
public final class OperatorMain {
  private OperatorMain() {}

  /**
   * Starts the operator on {@code client}; it runs until {@link Operator#stop()}. The policies are
   * applied whole (repairing drift) at least every {@code resyncEvery}.
   */
  public static Operator start(KubernetesClient client, Settings settings, Duration resyncEvery) {
    Objects.requireNonNull(client, "client");
    ClusterReconciler cluster = ClusterReconciler.create(client, settings, resyncEvery);
    Operator operator =
        new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
    operator.register(new ServiceEvents(cluster));
    operator.register(new MeshMemberEvents(cluster));
    operator.start();
    return operator;
  }

  /** Runs the operator against the cluster of the current kubeconfig context until killed. */
  public static void main(String[] args) {
    KubernetesClient client = new KubernetesClientBuilder().build();
    Operator operator = start(client, Settings.defaults(), Duration.ofMinutes(5));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  operator.stop();
                  client.close();
                }));
  }
}
