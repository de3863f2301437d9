package dev.lattice.crd.testing;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Says loudly, at the end of a module's test run, which suites were skipped for want of the
 * upstream CRDs: one {@code WARNING} line per module naming each suite and how many of its tests
 * did not run. Registered through {@code META-INF/services} in this test kit, so every module whose
 * tests use {@link UpstreamCrds} reports; silent when nothing was skipped.
 */
public final class SkippedSuitesReport implements TestExecutionListener {
  private final Map<String, Integer> skipped = new TreeMap<>();

  @Override
  public void executionSkipped(TestIdentifier test, String reason) {
    if (reason != null && reason.contains(UpstreamCrds.SKIPPED)) {
      count(test);
    }
  }

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    if (result.getStatus() == TestExecutionResult.Status.ABORTED
        && result
            .getThrowable()
            .map(t -> String.valueOf(t.getMessage()))
            .orElse("")
            .contains(UpstreamCrds.SKIPPED)) {
      count(test);
    }
  }

  private synchronized void count(TestIdentifier test) {
    suite(test).ifPresent(s -> skipped.merge(s, 1, Integer::sum));
  }

  private static Optional<String> suite(TestIdentifier test) {
    return test.getSource()
        .map(
            s -> {
              if (s instanceof MethodSource) {
                return ((MethodSource) s).getClassName();
              }
              if (s instanceof ClassSource) {
                return ((ClassSource) s).getClassName();
              }
              return null;
            })
        .map(c -> c.substring(c.lastIndexOf('.') + 1));
  }

  @Override
  public synchronized void testPlanExecutionFinished(TestPlan plan) {
    if (skipped.isEmpty()) {
      return;
    }
    StringBuilder suites = new StringBuilder();
    skipped.forEach(
        (suite, n) ->
            suites
                .append(suites.length() == 0 ? "" : ", ")
                .append(suite)
                .append(" (")
                .append(n)
                .append(n == 1 ? " test)" : " tests)"));
    String module =
        Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getFileName().toString();
    System.err.println(
        "[WARNING] "
            + module
            + ": SKIPPED without the upstream CRDs at "
            + UpstreamCrds.directory()
            + ": "
            + suites
            + ". Set LATTICE_CRDS to their directory; .ci/run refuses to run without them.");
    System.err.flush();
  }
}
