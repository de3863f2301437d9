package dev.lattice.examples.operator;

import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import java.util.concurrent.TimeUnit;

/** Runs a pass on every event of a {@code LatticeService}, deletions included. */
@ControllerConfiguration(
    name = "lattice-services",
    triggerReconcilerOnAllEvents = true,
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
final class ServiceEvents extends SpecReconciler<LatticeServiceResource> {
  ServiceEvents(ClusterReconciler cluster) {
    super(cluster);
  }
}
