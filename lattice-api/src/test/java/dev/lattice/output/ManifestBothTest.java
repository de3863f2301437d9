package dev.lattice.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ManifestBothTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Resource doc(String kind, String namespace, String name) {
    ObjectNode d = JSON.createObjectNode();
    d.put("kind", kind);
    d.put("apiVersion", "cilium.io/v2");
    ObjectNode meta = d.putObject("metadata");
    meta.put("name", name);
    meta.put("namespace", namespace);
    meta.putObject("labels").put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
    return Resource.of(d);
  }

  private static Manifest random(Random r, String kind) {
    List<Resource> list = new ArrayList<>();
    int n = r.nextInt(30);
    for (int i = 0; i < n; i++) {
      list.add(doc(kind, "ns" + r.nextInt(5), "d" + i));
    }
    return Manifest.of(list);
  }

  @Test
  void isThePlusOfTheTwoInEveryCase() {
    Random r = new Random(7);
    for (int i = 0; i < 50; i++) {
      Manifest a = random(r, "CiliumNetworkPolicy");
      Manifest b = random(r, "AuthorizationPolicy");
      Manifest both = Manifest.both(() -> a, () -> b);
      assertThat(both.toYaml()).isEqualTo(a.plus(b).toYaml());
      assertThat(both.resources()).isEqualTo(a.plus(b).resources());
    }
  }

  @Test
  void rendersTheFirstOnAnotherThreadWhenThereIsASecondProcessor() {
    AtomicReference<Thread> first = new AtomicReference<>();
    Manifest.both(
        () -> {
          first.set(Thread.currentThread());
          return Manifest.of(List.of());
        },
        () -> Manifest.of(List.of()));
    boolean two = Runtime.getRuntime().availableProcessors() >= 2;
    assertThat(first.get() != Thread.currentThread()).isEqualTo(two);
  }

  @Test
  void throwsWhatEitherThrowsAfterBothEnded() {
    AtomicBoolean secondEnded = new AtomicBoolean();
    assertThatThrownBy(
            () ->
                Manifest.both(
                    () -> {
                      throw new IllegalStateException("first");
                    },
                    () -> {
                      secondEnded.set(true);
                      return Manifest.of(List.of());
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("first");
    assertThat(secondEnded).isTrue();
    assertThatThrownBy(
            () ->
                Manifest.both(
                    () -> Manifest.of(List.of()),
                    () -> {
                      throw new IllegalArgumentException("second");
                    }))
        .hasMessage("second");
    assertThatThrownBy(
            () ->
                Manifest.both(
                    () -> {
                      throw new AssertionError("first");
                    },
                    () -> {
                      throw new IllegalArgumentException("second");
                    }))
        .isInstanceOf(AssertionError.class)
        .hasMessage("first");
  }

  @Test
  void refusesAKeyBothHoldAsPlusDoes() {
    Manifest a = Manifest.of(List.of(doc("K", "ns", "a")));
    Manifest b = Manifest.of(List.of(doc("K", "ns", "a")));
    assertThatThrownBy(() -> Manifest.both(() -> a, () -> b))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
