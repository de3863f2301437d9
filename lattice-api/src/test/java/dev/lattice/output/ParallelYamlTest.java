package dev.lattice.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.internal.CompactNodeFactory;
import dev.lattice.internal.PlainScalars;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The YAML stream written on two threads is the one written on one ({@link Manifest#toYaml()},
 * which goes through an {@link Appendable} and so never uses a second thread), and the one-pass
 * plain-scalar check agrees with {@link PlainScalars#isPlainSafe}.
 */
class ParallelYamlTest {
  private static final String ALPHABET = "aZ09-_./:\" \\\té日\u0001\u2028#y";

  static Stream<Long> seeds() {
    return Stream.of(1L, 2L, 3L, 4L, 5L);
  }

  private static String randomText(Random r) {
    if (r.nextInt(10) == 0) {
      String[] words = {"y", "No", "on", "OFF", "true", "null", "a:", ":", ""};
      return words[r.nextInt(words.length)];
    }
    StringBuilder sb = new StringBuilder();
    int n = r.nextInt(12);
    for (int i = 0; i < n; i++) {
      sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  private static Resource randomDocument(Random r, int i) {
    ObjectNode d = CompactNodeFactory.INSTANCE.objectNode();
    d.put("apiVersion", "v1");
    d.put("kind", "ConfigMap");
    ObjectNode meta = d.putObject("metadata");
    meta.put("name", "d" + i);
    meta.put("namespace", "ns" + r.nextInt(7));
    ObjectNode data = d.putObject("data");
    // most documents are small, a few span several buffers
    int fields = r.nextInt(50) == 0 ? 2_000 : r.nextInt(8);
    if (i % 200 == 7) {
      // a scalar longer than the buffer
      data.put("long", (i % 400 == 7 ? "x" : "é").repeat(70_000));
    }
    for (int f = 0; f < fields; f++) {
      String key = randomText(r);
      switch (r.nextInt(4)) {
        case 0 -> data.put(key, r.nextInt());
        case 1 -> {
          ArrayNode a = data.putArray(key);
          for (int k = r.nextInt(4); k > 0; k--) {
            a.addObject().put(randomText(r), randomText(r));
          }
        }
        default -> data.put(key, randomText(r));
      }
    }
    return Resource.of(d);
  }

  private static Manifest randomManifest(long seed, int documents) {
    Random r = new Random(seed);
    List<Resource> list = new ArrayList<>();
    for (int i = 0; i < documents; i++) {
      list.add(randomDocument(r, i));
    }
    return Manifest.of(list);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void twoThreadsWriteTheBytesOfOne(long seed) {
    Random r = new Random(seed);
    // around the threshold and the chunk size: an odd or even number of chunks, a ragged end
    int documents = ParallelYaml.MIN_DOCUMENTS + r.nextInt(5 * ParallelYaml.CHUNK);
    Manifest m = randomManifest(seed, documents);
    assertThat(ParallelYaml.applies(documents))
        .isEqualTo(Runtime.getRuntime().availableProcessors() >= 2);
    ByteArrayOutputStream two = new ByteArrayOutputStream();
    ParallelYaml.write(m.resources(), two);
    ByteArrayOutputStream viaManifest = new ByteArrayOutputStream();
    m.writeYaml(viaManifest);
    String one = m.toYaml();
    assertThat(two.toString(StandardCharsets.UTF_8)).as("seed %d", seed).isEqualTo(one);
    assertThat(viaManifest.toByteArray()).isEqualTo(two.toByteArray());
  }

  @Test
  void aFailingTargetFailsTheWriteAndReleasesTheSecondThread() {
    Manifest m = randomManifest(9, 4 * ParallelYaml.MIN_DOCUMENTS);
    OutputStream failing =
        new OutputStream() {
          private long written;

          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            written += len;
            if (written > 300_000) {
              throw new IOException("disk full");
            }
          }
        };
    assertThatThrownBy(() -> ParallelYaml.write(m.resources(), failing))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("disk full");
    // the second thread gave up (interrupted while waiting for a buffer) instead of hanging
    long deadline = System.currentTimeMillis() + 10_000;
    while (writerAlive() && System.currentTimeMillis() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(writerAlive()).isFalse();
  }

  private static boolean writerAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("lattice-yaml-writer") && t.isAlive());
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void aScalarIsPlainExactlyWhenIsPlainSafeSaysSo(long seed) {
    Random r = new Random(seed);
    for (int i = 0; i < 2_000; i++) {
      String s = randomText(r);
      ObjectNode d = CompactNodeFactory.INSTANCE.objectNode();
      d.put("k", s);
      StringBuilder out = new StringBuilder();
      Writers.yamlDocument(d, out);
      boolean plain = out.toString().equals("---\nk: " + s + "\n");
      assertThat(plain).as("%s (seed %d)", s, seed).isEqualTo(PlainScalars.isPlainSafe(s));
    }
  }
}
