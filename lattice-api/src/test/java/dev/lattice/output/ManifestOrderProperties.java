package dev.lattice.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The order of a manifest: {@link ResourceKey#compareTo} (written out, with identity shortcuts for
 * shared strings) orders as the plain chain kind, namespace, name, group does, equal strings that
 * are different objects included; and {@link Manifest#plus} (a merge of two sorted manifests) gives
 * exactly the manifest of all the resources sorted at once, and refuses a key both hold. Random
 * keys from small pools, so that kinds, namespaces and names collide and only a later field
 * decides. Replay one seed with {@code -Dlattice.seed=N}.
 */
class ManifestOrderProperties {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The order as documented, spelled the obvious way: the reference. */
  private static final Comparator<ResourceKey> REFERENCE =
      Comparator.comparing(ResourceKey::kind)
          .thenComparing(ResourceKey::namespace)
          .thenComparing(ResourceKey::name)
          .thenComparing(ResourceKey::group);

  private static final String[] GROUPS = {"cilium.io", "security.istio.io", "networking.istio.io"};
  private static final String[] KINDS = {
    "AuthorizationPolicy",
    "CiliumClusterwideNetworkPolicy",
    "CiliumNetworkPolicy",
    "PeerAuthentication",
    "ServiceEntry"
  };
  private static final String[] NAMESPACES = {"", "a", "ab", "b", "shop", "shop-2"};

  static Stream<Long> seeds() {
    Long replay = Long.getLong("lattice.seed");
    return replay != null ? Stream.of(replay) : LongStream.rangeClosed(1, 60).boxed();
  }

  /** {@code s} as itself or as an equal string that is another object (no identity shortcut). */
  private static String copyOrSame(Random r, String s) {
    return r.nextBoolean() ? s : new String(s.toCharArray());
  }

  private static String pick(Random r, String[] pool) {
    return copyOrSame(r, pool[r.nextInt(pool.length)]);
  }

  private static Resource resource(Random r) {
    String group = pick(r, GROUPS);
    ObjectNode d = JSON.createObjectNode();
    d.put("apiVersion", group + "/v1");
    d.put("kind", pick(r, KINDS));
    ObjectNode meta = d.putObject("metadata");
    meta.put("name", copyOrSame(r, "n-" + r.nextInt(6)));
    String namespace = pick(r, NAMESPACES);
    if (!namespace.isEmpty()) {
      meta.put("namespace", namespace);
    }
    return Resource.of(d);
  }

  /** Up to {@code n} resources with distinct keys (the first of a key is kept). */
  private static List<Resource> distinct(Random r, int n) {
    Map<ResourceKey, Resource> byKey = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      Resource x = resource(r);
      byKey.putIfAbsent(x.key(), x);
    }
    return new ArrayList<>(byKey.values());
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void keysCompareAsTheReferenceChain(long seed) {
    Random r = new Random(seed);
    for (int i = 0; i < 500; i++) {
      ResourceKey a = resource(r).key();
      ResourceKey b = r.nextInt(8) == 0 ? copy(a) : resource(r).key();
      int expected = Integer.signum(REFERENCE.compare(a, b));
      assertThat(Integer.signum(a.compareTo(b)))
          .as("seed %d: %s vs %s", seed, a, b)
          .isEqualTo(expected);
      assertThat(Integer.signum(b.compareTo(a)))
          .as("seed %d: %s vs %s", seed, b, a)
          .isEqualTo(-expected);
      assertThat(a.compareTo(b) == 0).as("seed %d: %s vs %s", seed, a, b).isEqualTo(a.equals(b));
    }
  }

  private static ResourceKey copy(ResourceKey k) {
    return ResourceKey.of(
        new String(k.group().toCharArray()),
        new String(k.kind().toCharArray()),
        new String(k.namespace().toCharArray()),
        new String(k.name().toCharArray()));
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void plusIsTheManifestOfBothSortedAtOnce(long seed) {
    Random r = new Random(seed);
    List<Resource> all = distinct(r, r.nextInt(120));
    List<Resource> first = new ArrayList<>();
    List<Resource> second = new ArrayList<>();
    // sometimes all on one side, or interleaved runs: the merge's tails and alternations
    int mode = r.nextInt(4);
    for (Resource x : all) {
      boolean toFirst = mode == 0 || (mode != 1 && r.nextBoolean());
      (toFirst ? first : second).add(x);
    }
    Manifest merged = Manifest.of(first).plus(Manifest.of(second));

    List<Resource> expected = new ArrayList<>(all);
    expected.sort((x, y) -> REFERENCE.compare(x.key(), y.key()));
    assertThat(merged.resources()).as("seed %d", seed).containsExactlyElementsOf(expected);
    assertThat(merged.resources()).isEqualTo(Manifest.of(all).resources());
    assertThat(Manifest.of(second).plus(Manifest.of(first)).resources())
        .isEqualTo(merged.resources());
    // the merged manifest serves lookups by bisection: every key is found
    for (Resource x : all) {
      assertThat(merged.get(copy(x.key()))).as("seed %d: %s", seed, x.key()).containsSame(x);
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void plusRefusesAKeyBothHold(long seed) {
    Random r = new Random(seed);
    List<Resource> all = distinct(r, 1 + r.nextInt(60));
    Resource shared = all.get(r.nextInt(all.size()));
    List<Resource> first = new ArrayList<>();
    List<Resource> second = new ArrayList<>();
    for (Resource x : all) {
      if (x == shared) {
        first.add(x);
        // the same key, another document: a clash, not a repeat to drop
        ObjectNode other = x.document().deepCopy();
        other.putObject("spec").put("seed", seed);
        second.add(Resource.of(other));
      } else {
        (r.nextBoolean() ? first : second).add(x);
      }
    }
    assertThatThrownBy(() -> Manifest.of(first).plus(Manifest.of(second)))
        .as("seed %d", seed)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("two resources are both " + shared.key());
  }
}
