package dev.lattice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The command's contract, run as users run it: {@code java -jar lattice-cli/target/lattice.jar} in
 * a child JVM, so the shaded jar's manifest, its bundled dependencies, {@code System.exit} and the
 * UTF-8 streams are what is tested. Maven builds the jar in {@code package}; this class runs in the
 * {@code integration-test} phase (tag {@code jar}, see the pom), and fails when the jar is missing.
 */
@Tag("jar")
class LatticeJarTest extends CommandContract {
  /** The jar: the system property {@code lattice.jar} (set by the pom), else target/lattice.jar. */
  static final Path JAR = Path.of(System.getProperty("lattice.jar", "target/lattice.jar"));

  private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

  /**
   * util-linux's setpriv, found on the PATH: drops the capabilities that let root read any file.
   */
  private static final Optional<Path> SETPRIV =
      Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
          .filter(d -> !d.isEmpty())
          .map(d -> Path.of(d, "setpriv"))
          .filter(Files::isExecutable)
          .findFirst();

  @BeforeAll
  static void jarIsBuilt() {
    assertThat(JAR)
        .as("the runnable jar; 'mvn verify' builds it in the package phase before this test runs")
        .isRegularFile();
  }

  @Override
  Run lattice(List<String> args) {
    return run(List.of(), List.of(), args);
  }

  @Override
  Run latticeWithoutReadOverride(List<String> args) {
    Path named = Path.of(args.get(args.size() - 1));
    Path probe = Files.isDirectory(named) ? named.resolve("locked.yaml") : named;
    if (!Files.isReadable(probe)) {
      return run(List.of(), List.of(), args);
    }
    Assumptions.assumeTrue(
        SETPRIV.isPresent(),
        "running as root, and no setpriv on the PATH to drop CAP_DAC_OVERRIDE for the child");
    return run(
        List.of(SETPRIV.get().toString(), "--bounding-set=-dac_override,-dac_read_search"),
        List.of(),
        args);
  }

  /** Runs {@code prefix java jvmOptions -jar lattice.jar args}. */
  private Run run(List<String> prefix, List<String> jvmOptions, List<String> args) {
    List<String> command = new ArrayList<>(prefix);
    command.add(JAVA.toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
    command.addAll(args);
    try {
      Path out = Files.createTempFile(root, "stdout", ".txt");
      Path err = Files.createTempFile(root, "stderr", ".txt");
      Process p =
          new ProcessBuilder(command)
              .directory(root.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      int code = p.waitFor();
      Run run =
          new Run(
              "java -jar lattice.jar " + String.join(" ", args),
              code,
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      Files.delete(out);
      Files.delete(err);
      return run;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + command, e);
    }
  }

  @Test
  void runsFromTheJarManifestWithItsVersion() {
    assertThat(lattice("--version").exits(Main.OK).out()).matches("lattice \\d+\\.\\d+\\.\\d+.*\n");
  }

  @Test
  void checksTheDocumentsAgainstCrdsWithTheBundledCelEngine() {
    // the shaded jar carries CEL, RE2 and their service files: the Istio CRDs' CEL rules run
    Path crds = dev.lattice.crd.testing.UpstreamCrds.require();
    Run run = lattice("check", "--crds", crds.toString(), specs.toString());
    run.exits(Main.OK).printsNothing().showsNoStackTrace();
    assertThat(run.err()).contains("documents pass the CRDs in " + crds);
  }

  @Test
  void writesUtf8WhateverTheDefaultCharset() {
    Path file =
        Fixtures.write(root, "accents.yaml", Fixtures.WRONG_TYPE.replace("eighty", "huitante-é"));
    Run run =
        run(List.of(), List.of("-Dfile.encoding=ISO-8859-1"), List.of("check", file.toString()));
    run.exits(Main.SPEC_ERRORS).printsNothing();
    assertThat(run.err()).contains("got the text \"huitante-é\"");
  }
}
