package dev.lattice.examples.operator;

import dev.lattice.output.RequiredLabel;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java Operator SDK's side of the operator: an event on one Lattice object (created, changed,
 * deleted, or the periodic resync) runs a pass of the {@link ClusterReconciler}, which reads them
 * all. A pass whose writes failed throws, so the SDK retries it with backoff; the retry applies the
 * whole manifest and converges.
 */
abstract class SpecReconciler<P extends HasMetadata> implements Reconciler<P> {
  private static final Logger LOG = LoggerFactory.getLogger(SpecReconciler.class);
  private static final AtomicReference<List<RequiredLabel>> REPORTED =
      new AtomicReference<>(List.of());

  private final ClusterReconciler cluster;

  SpecReconciler(ClusterReconciler cluster) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
  }

  @Override
  public UpdateControl<P> reconcile(P resource, Context<P> context) {
    ClusterReconciler.Pass pass = cluster.reconcile();
    pass.reports().forEach(r -> r.lines().forEach(LOG::info));
    // Lattice does not own Services: say once, when they change, which labels the policies need
    if (!pass.requiredLabels().equals(REPORTED.getAndSet(pass.requiredLabels()))) {
      pass.requiredLabels().forEach(l -> LOG.warn("the policies need: {}", l.kubectl()));
    }
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
