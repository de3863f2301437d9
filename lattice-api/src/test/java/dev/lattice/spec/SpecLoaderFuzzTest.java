package dev.lattice.spec;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.graph.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The spec loader under Jazzer: bytes in, diagnostics out. Any input — undecodable bytes, broken
 * YAML, wrong types, absurd values — must end in a {@link SpecResult} whose every problem is a
 * diagnostic; an exception, a stack trace in a message, a graph next to an error, or a graph whose
 * {@code resolve()} throws is a finding.
 *
 * <p>Seeded with the repository's spec files (this module's test specs and {@code
 * lattice-examples/specs}), each also in reshape mode, where one byte turns a chosen value into a
 * list, a mapping, null or an empty list (byte mutations alone seldom write both brackets). In a plain test run Jazzer runs it in regression mode: each seed, and
 * each input under {@code src/test/resources/dev/lattice/spec/SpecLoaderFuzzTestInputs/}, once. The
 * build's {@code fuzz} Surefire execution runs it again with {@code JAZZER_FUZZ=1}: Jazzer
 * instruments the loader (and the YAML parser under it) and mutates for {@code
 * its {@code maxDuration}, saving a crashing input to that directory, where it stays
 * as a regression test once fixed.
 */
class SpecLoaderFuzzTest {

  /** The repository's spec files, as seeds. */
  static Stream<Arguments> repositorySpecs() {
    List<Arguments> seeds = new ArrayList<>();
    for (Path root :
        List.of(Path.of("src/test/resources/spec"), Path.of("../lattice-examples/specs"))) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
          String name = f.getFileName().toString();
          if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            byte[] spec = Files.readAllBytes(f);
            seeds.add(Arguments.of((Object) spec));
            // the same spec in reshape mode (see reshape): from here one byte picks the value
            byte[] reshaped = new byte[spec.length + 2];
            reshaped[0] = (byte) RESHAPE;
            System.arraycopy(spec, 0, reshaped, 2, spec.length);
            seeds.add(Arguments.of((Object) reshaped));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (seeds.size() < 20) {
      throw new IllegalStateException("too few seed specs found (" + seeds.size() + ")");
    }
    return seeds.stream();
  }

  @MethodSource("repositorySpecs")
  @DictionaryEntries({
    "apiVersion: lattice.dev/v1alpha1",
    "kind: LatticeService",
    "kind: LatticeMeshMember",
    "kind: LatticeJob",
    "kind: LatticeModel",
    "metadata:",
    "namespace:",
    "spec:",
    "workload:",
    "service:",
    "serviceType: LoadBalancer",
    "resources:",
    "type: external-service",
    "direction: inbound",
    "direction: both",
    "params:",
    "ports:",
    "http:",
    "methods:",
    "paths:",
    "endpoints:",
    "id: '*'",
    "entity:",
    "targetPort:",
    "peerAuth: Webhook",
    "exposedTo:",
    "target:",
    "selector:",
    "allowedCallers:",
    "dependencies:",
    "dependsAll: true",
    "egress:",
    "fqdn:",
    "cidr:",
    "advertise:",
    "allowedServices:",
    "tasks:",
    "defaults:",
    "training:",
    "roles:",
    "entryWorkload:",
    "workerWorkload:",
    "routing:",
    "kvConnector:",
    "autoscaling:",
    "modelSource:",
    "uri: hf://",
    "&a ",
    "*a",
    "<<: ",
    "---",
    "? ",
    "!!",
    // shapes: a scalar turned into a list, a mapping, null or empty, and back
    "[",
    "]",
    "{",
    "}",
    "[]",
    "{}",
    ": [x]",
    ": {a: b}",
    ": null",
    ": ''",
    "- ",
    ", ",
  })
  @FuzzTest(maxDuration = "40s")
  void loadingEndsInDiagnosticsNeverInAnException(byte[] input) {
    Loader loader = new Loader();
    loader.bytes("fuzz.yaml", reshape(input));
    SpecResult result = loader.result();

    for (Diagnostic d : result.diagnostics()) {
      String m = d.message();
      if (m.isBlank() || m.contains("\n")) {
        throw new AssertionError("a diagnostic that is not one line: " + d);
      }
      for (String internal : INTERNALS) {
        // a message may quote what the user wrote, but never bring internals of its own
        if (m.contains(internal) && !written(input, internal)) {
          throw new AssertionError("a diagnostic that leaks internals: " + d);
        }
      }
    }
    if (result.hasErrors() == result.graph().isPresent()) {
      throw new AssertionError(
          "a graph must come exactly when there is no error: " + result.diagnostics());
    }
    if (result.graph().isPresent()) {
      Topology t = result.graph().get().resolve();
      for (Diagnostic d : t.diagnostics()) {
        for (String internal : INTERNALS) {
          if (d.message().contains(internal) && !written(input, internal)) {
            throw new AssertionError("resolution leaked internals: " + d);
          }
        }
      }
    }
  }

  /** The flag of the first byte that puts an input in reshape mode. */
  private static final int RESHAPE = 0x80;

  /** A value written after a key: what reshape mode turns into another shape. */
  private static final Pattern VALUE =
      Pattern.compile("(?m)^([ \\t]*(?:- )?[A-Za-z\"'][^:\\n]*:)[ \\t]+([^\\n]+)$");

  /**
   * Byte mutations rarely turn a value into a list or a mapping (it takes a bracket on each side),
   * yet a value of the wrong shape is the loader's likeliest mistake. So an input whose first byte
   * has its high bit set is reshaped: its second byte picks the n-th {@code key: value} line of the
   * rest, and the first byte's low bits pick what the value becomes — a list of it, a mapping of
   * it, null, or an empty list. Other inputs are read as they are.
   */
  private static byte[] reshape(byte[] input) {
    if (input.length < 2 || (input[0] & RESHAPE) == 0) {
      return input;
    }
    String text = new String(input, 2, input.length - 2, StandardCharsets.UTF_8);
    List<MatchResult> values = VALUE.matcher(text).results().toList();
    if (values.isEmpty()) {
      return input;
    }
    MatchResult m = values.get((input[1] & 0xff) % values.size());
    String v = m.group(2);
    String shaped =
        switch (input[0] & 3) {
          case 0 -> "[" + v + "]";
          case 1 -> "{x: " + v + "}";
          case 2 -> "null";
          default -> "[]";
        };
    return (text.substring(0, m.start(2)) + shaped + text.substring(m.end(2)))
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Words that only a leaked exception or stack trace would put in a message. */
  private static final List<String> INTERNALS =
      List.of("Exception", "com.fasterxml", "org.yaml", "java.lang", "dev.lattice.");

  /** Whether {@code word} is in {@code input}, read as any encoding the loader reads. */
  private static boolean written(byte[] input, String word) {
    for (java.nio.charset.Charset cs :
        List.of(
            StandardCharsets.ISO_8859_1, StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE)) {
      for (int skip = 0; skip < 2; skip++) {
        if (skip < input.length
            && new String(input, skip, input.length - skip, cs).contains(word)) {
          return true;
        }
      }
    }
    return false;
  }
}
