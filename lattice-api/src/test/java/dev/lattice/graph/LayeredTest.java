package dev.lattice.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A chain of {@link Layered} maps, each changed a little and then frozen, holds what one {@link
 * HashMap} changed the same way holds, and a frozen layer never changes when the next one does.
 */
class LayeredTest {
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void chainsBehaveLikeOneMap(long seed) {
    Random random = new Random(seed);
    Map<Integer, String> model = new HashMap<>();
    Map<Integer, String> current = new HashMap<>();
    for (int generation = 0; generation < 60; generation++) {
      Map<Integer, String> frozen = Map.copyOf(current);
      Layered<Integer, String> next = Layered.over(current);
      int changes = generation == 0 ? 500 : random.nextInt(40);
      for (int i = 0; i < changes; i++) {
        int key = random.nextInt(300);
        if (random.nextInt(3) == 0) {
          assertThat(next.remove(key)).isEqualTo(model.remove(key));
        } else {
          String value = "v" + generation + "." + i;
          assertThat(next.put(key, value)).isEqualTo(model.put(key, value));
        }
        assertThat(next.get(key)).isEqualTo(model.get(key));
        assertThat(next.containsKey(key)).isEqualTo(model.containsKey(key));
      }
      assertThat(next).isEqualTo(model);
      assertThat(next.size()).isEqualTo(model.size());
      assertThat(Map.copyOf(next)).isEqualTo(model);
      assertThat(current).isEqualTo(frozen);
      current = next;
    }
  }
}
