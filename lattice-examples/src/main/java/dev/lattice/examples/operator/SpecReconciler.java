package dev.lattice.examples.operator;

import dev.lattice.kubernetes.SpecKind;
import dev.lattice.output.RequiredLabel;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java Operator SDK's side of the operator: an event on one Lattice object (created, changed,
 * deleted) runs a pass of the {@link ClusterReconciler}, which reads them all — or none, when a
 * pass that began after the event covers it. A pass whose writes failed throws, so the SDK retries
 * it with backoff; the retry applies the whole manifest and converges.
 */
abstract class SpecReconciler<P extends HasMetadata> implements Reconciler<P> {
  private static final Logger LOG = LoggerFactory.getLogger(SpecReconciler.class);
  private static final AtomicReference<List<RequiredLabel>> REPORTED =
      new AtomicReference<>(List.of());
  private static final AtomicReference<Map<SpecKind, String>> NOT_WRITTEN =
      new AtomicReference<>(Map.of());

  private final ClusterReconciler cluster;

  SpecReconciler(ClusterReconciler cluster) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
  }

  @Override
  public UpdateControl<P> reconcile(P resource, Context<P> context) {
    Optional<ClusterReconciler.Pass> ran = cluster.catchUp();
    if (ran.isEmpty()) {
      // a pass that began after this event read the cluster: nothing left to do for it
      return UpdateControl.noUpdate();
    }
    ClusterReconciler.Pass pass = ran.get();
    report(pass);
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

  /**
   * Logs what a pass did: its writes, and, when they change, the labels the policies need on
   * Services Lattice does not own and the kinds whose statuses the operator cannot write (with the
   * statuses it would have written).
   */
  static void report(ClusterReconciler.Pass pass) {
    pass.reports().forEach(r -> r.lines().forEach(LOG::info));
    // Lattice does not own Services: say once, when they change, which labels the policies need
    if (!pass.requiredLabels().equals(REPORTED.getAndSet(pass.requiredLabels()))) {
      pass.requiredLabels().forEach(l -> LOG.warn("the policies need: {}", l.kubectl()));
    }
    if (!pass.statusesNotWritten().equals(NOT_WRITTEN.getAndSet(pass.statusesNotWritten()))) {
      pass.statusesNotWritten().forEach((k, why) -> LOG.warn("{} statuses: {}", k, why));
    }
    pass.unwrittenStatuses().forEach(LOG::info);
  }
}
