package dev.lattice.crd.testing;

import dev.lattice.crd.CrdConformance;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The upstream CRDs the tests check rendered documents against. They are never copied into the
 * repository: the system property {@code lattice.crds} names their directory (the build sets it
 * from {@code LATTICE_CRDS}, else {@code ../shared/crds} beside the checkout). Without them, a test
 * that needs them is skipped through an assumption whose message starts with {@link #SKIPPED}, and
 * {@link SkippedSuitesReport} lists every such suite at the end of the module's run; {@code
 * .ci/run} refuses to run without them, so CI never skips.
 */
public final class UpstreamCrds {
  /** The property naming the directory. */
  public static final String PROPERTY = "lattice.crds";

  /** How a skip for want of the CRDs begins: {@link SkippedSuitesReport} looks for it. */
  public static final String SKIPPED = "SKIPPED without the upstream CRDs";

  private static final String DEFAULT = "../shared/crds";
  private static CrdConformance conformance;

  private UpstreamCrds() {}

  /**
   * The directory: system property {@code lattice.crds}, else {@code ../shared/crds} relative to
   * the working directory.
   */
  public static Path directory() {
    String configured = System.getProperty(PROPERTY);
    String dir = configured == null || configured.isBlank() ? DEFAULT : configured;
    return Path.of(dir).toAbsolutePath().normalize();
  }

  /** Whether the directory holds the CRDs. */
  public static boolean present() {
    return Files.isRegularFile(directory().resolve("ciliumnetworkpolicy.yaml"));
  }

  /** The directory, or the calling test is skipped (and reported) when it is missing. */
  public static Path require() {
    Path dir = directory();
    Assumptions.assumeTrue(
        present(),
        () ->
            SKIPPED
                + ": "
                + dir
                + " does not hold them (set LATTICE_CRDS, or -D"
                + PROPERTY
                + "=DIR, to their directory)");
    return dir;
  }

  /** The checker over the upstream CRDs, loaded once; skips the calling test without them. */
  public static synchronized CrdConformance conformance() {
    Path dir = require();
    if (conformance == null) {
      conformance = CrdConformance.load(dir);
    }
    return conformance;
  }
}
