package dev.lattice.examples.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.Objects;

/**
 * The Java Operator SDK's side of the operator: an event on one Lattice object (created, changed,
 * deleted, or the periodic resync) runs a pass of the {@link ClusterReconciler}, which reads them
 * all. A pass whose writes failed throws, so the SDK retries it with backoff; the retry applies the
 * whole manifest and converges.
 */
abstract class SpecReconciler<P extends HasMetadata> implements Reconciler<P> {
  private final ClusterReconciler cluster;

  SpecReconciler(ClusterReconciler cluster) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
  }

  @Override
  public UpdateControl<P> reconcile(P resource, Context<P> context) {
    ClusterReconciler.Pass pass = cluster.reconcile();
    if (!pass.isComplete()) {
      throw new IllegalStateException(
          pass.reports().stream()
              .flatMap(r -> r.failure().stream())
              .map(f -> f.message())
              .findFirst()
              .orElse("a write failed"));
    }
    // the pass wrote every status itself (the change of one object can change another's)
    return UpdateControl.noUpdate();
  }
}
