package dev.lattice.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.internal.CompactNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Manifest#replace} gives the manifest that sorting everything anew gives, and the diff that
 * {@link ManifestDiff#between} finds, while it looks only at the namespaces it is given.
 */
class ManifestReplaceTest {
  private static final List<String> KINDS = List.of("AuthorizationPolicy", "Gateway", "Policy");
  private static final List<String> NAMESPACES = List.of("", "a", "b", "c");

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void splicesLikeAFullSort(long seed) {
    Random random = new Random(seed);
    List<Resource> all = new ArrayList<>();
    Set<String> used = new TreeSet<>();
    for (int i = 0; i < 30; i++) {
      Resource r = resource(random, "v0");
      if (used.add(r.key().toString())) {
        all.add(r);
      }
    }
    Manifest before = Manifest.of(all, List.of(label("a", "x"), label("b", "y")));
    Set<String> namespaces =
        new TreeSet<>(
            List.of(NAMESPACES.get(random.nextInt(4)), NAMESPACES.get(random.nextInt(4))));
    int parity = random.nextInt(2);
    List<Resource> kept = new ArrayList<>();
    List<Resource> fresh = new ArrayList<>();
    for (Resource r : all) {
      boolean owned = namespaces.contains(r.namespace()) && r.name().length() % 2 == parity;
      if (!owned) {
        kept.add(r);
      } else if (random.nextBoolean()) {
        fresh.add(random.nextBoolean() ? r : withVersion(r, "v1")); // same, or changed
      }
    }
    for (int i = 0; i < 5; i++) {
      Resource r = resource(random, "v2");
      if (namespaces.contains(r.namespace())
          && r.name().length() % 2 == parity
          && used.add(r.key().toString())) {
        fresh.add(r); // new
      }
    }
    ManifestUpdate u =
        before.replace(
            namespaces,
            r -> r.name().length() % 2 == parity,
            fresh,
            l -> l.namespace().equals("a"),
            List.of(label("a", "z")));
    List<Resource> expected = new ArrayList<>(kept);
    expected.addAll(fresh);
    // only the labels of the namespaces are asked: a/x goes only when "a" is one of them
    List<RequiredLabel> labels = new ArrayList<>(List.of(label("a", "z"), label("b", "y")));
    if (!namespaces.contains("a")) {
      labels.add(label("a", "x"));
    }
    Manifest want = Manifest.of(expected, labels);
    assertThat(u.manifest().resources()).isEqualTo(want.resources());
    assertThat(u.manifest().toYaml()).isEqualTo(want.toYaml());
    assertThat(u.manifest().requiredLabels()).isEqualTo(want.requiredLabels());
    ManifestDiff d = ManifestDiff.between(before, want);
    assertThat(u.diff().upserts()).isEqualTo(d.upserts());
    assertThat(u.diff().deletes()).isEqualTo(d.deletes());
    assertThat(u.previous()).isSameAs(before);
  }

  @Test
  void splicesLabelsLikeATreeSetOfTheKeptThenTheNewOnes() {
    for (long seed = 1; seed <= 3_000; seed++) {
      splicesLabels(seed);
    }
  }

  private static void splicesLabels(long seed) {
    Random random = new Random(seed);
    List<RequiredLabel> labels = new ArrayList<>();
    for (int i = random.nextInt(60); i > 0; i--) {
      labels.add(randomLabel(random));
    }
    Manifest before = Manifest.of(List.of(), labels);
    List<RequiredLabel> added = new ArrayList<>();
    for (int i = random.nextInt(8); i > 0; i--) {
      // ties with kept labels and with each other, by another value: the first one stays
      added.add(randomLabel(random));
    }
    // the predicate selects more than the namespaces hold: only their labels may go
    Set<String> namespaces = new TreeSet<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      namespaces.add(NAMESPACES.get(random.nextInt(4)));
    }
    String name = "s" + random.nextInt(4);
    List<RequiredLabel> all = new ArrayList<>();
    before.requiredLabels().stream()
        .filter(l -> !(namespaces.contains(l.namespace()) && l.name().equals(name)))
        .forEach(all::add);
    all.addAll(added);

    ManifestUpdate u =
        before.replace(namespaces, r -> false, List.of(), l -> l.name().equals(name), added);

    List<RequiredLabel> want = List.copyOf(new TreeSet<>(all));
    assertThat(u.manifest().requiredLabels()).as("seed %d", seed).isEqualTo(want);
    assertThat(u.manifest().requiredLabels())
        .as("seed %d", seed)
        .extracting(RequiredLabel::value)
        .isEqualTo(want.stream().map(RequiredLabel::value).toList());
  }

  private static RequiredLabel randomLabel(Random random) {
    return RequiredLabel.of(
        random.nextInt(4) == 0 ? "Namespace" : "Service",
        NAMESPACES.get(1 + random.nextInt(3)),
        "s" + random.nextInt(4),
        "k" + random.nextInt(2),
        "v" + random.nextInt(3),
        "test");
  }

  @Test
  void refusesAReplacementThatCollidesWithAResourceThatStays() {
    Resource kept = Resource.of(doc("Policy", "a", "x", "v0"));
    Manifest m = Manifest.of(List.of(kept));
    assertThatThrownBy(() -> m.replace(Set.of("a"), r -> false, List.of(kept)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Policy a/x");
  }

  private static Resource resource(Random random, String version) {
    String name = "n" + "x".repeat(random.nextInt(3)) + random.nextInt(4);
    return Resource.of(
        doc(KINDS.get(random.nextInt(3)), NAMESPACES.get(random.nextInt(4)), name, version));
  }

  private static Resource withVersion(Resource r, String version) {
    return Resource.of(doc(r.kind(), r.namespace(), r.name(), version));
  }

  private static ObjectNode doc(String kind, String namespace, String name, String version) {
    ObjectNode doc = CompactNodeFactory.INSTANCE.objectNode();
    doc.put("apiVersion", "example.dev/v1");
    doc.put("kind", kind);
    ObjectNode metadata = doc.putObject("metadata");
    metadata.put("name", name);
    if (!namespace.isEmpty()) {
      metadata.put("namespace", namespace);
    }
    metadata.putObject("labels").put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
    doc.putObject("spec").put("version", version);
    return doc;
  }

  private static RequiredLabel label(String namespace, String name) {
    return RequiredLabel.of("Service", namespace, name, "k", "v", "test");
  }
}
