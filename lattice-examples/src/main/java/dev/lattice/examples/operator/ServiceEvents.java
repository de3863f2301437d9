package dev.lattice.examples.operator;

import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;

/** Runs a pass on every event of a {@code LatticeService}, deletions included. */
@ControllerConfiguration(
    name = "lattice-services",
    triggerReconcilerOnAllEvents = true,
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = Constants.NO_MAX_RECONCILIATION_INTERVAL))
final class ServiceEvents extends SpecReconciler<LatticeServiceResource> {
  ServiceEvents(ClusterReconciler cluster) {
    super(cluster);
  }
}
