package dev.lattice.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link Parallel#map} on two threads (forced from the first item on) gives each result at its
 * item's index, hands each thread a state of its own, and throws the failure of either thread.
 */
class ParallelTest {

  @Test
  void keepsTheOrderOfTheItems() {
    List<Integer> items = IntStream.range(0, 5_000).boxed().toList();
    Object[] out = Parallel.map(items, i -> i * 2, 1);
    for (int i = 0; i < items.size(); i++) {
      assertThat(out[i]).isEqualTo(2 * i);
    }
  }

  @Test
  void givesEachThreadAStateOfItsOwn() {
    List<Integer> items = IntStream.range(0, 5_000).boxed().toList();
    // each state remembers the one thread that used it; a state two threads shared would see both
    Map<List<Thread>, Boolean> states = Collections.synchronizedMap(new IdentityHashMap<>());
    Object[] out =
        Parallel.map(
            items,
            () -> {
              List<Thread> seen = new ArrayList<>();
              states.put(seen, true);
              return seen;
            },
            (seen, i) -> {
              if (!seen.contains(Thread.currentThread())) {
                seen.add(Thread.currentThread());
              }
              // a little work, so that the worker starts before the caller has taken every block
              return Integer.toString(i).hashCode() == 0 ? -1 : i;
            },
            1);
    for (int i = 0; i < items.size(); i++) {
      assertThat(out[i]).isEqualTo(i);
    }
    // one state for the caller's thread and one for the worker's (none when the JVM has one core)
    assertThat(states).hasSize(Runtime.getRuntime().availableProcessors() < 2 ? 1 : 2);
    states.keySet().forEach(seen -> assertThat(seen).hasSizeLessThanOrEqualTo(1));
  }

  @Test
  void staysOnTheCallersThreadBelowTheThreshold() {
    List<Integer> items = IntStream.range(0, 100).boxed().toList();
    Object[] out = Parallel.map(items, i -> Thread.currentThread(), 101);
    assertThat(out).containsOnly(Thread.currentThread());
  }

  @Test
  void throwsTheFailureOfEitherThread() {
    List<Integer> items = IntStream.range(0, 5_000).boxed().toList();
    assertThatThrownBy(
            () ->
                Parallel.map(
                    items,
                    i -> {
                      if (i == 4_321) {
                        throw new IllegalStateException("item " + i);
                      }
                      return i;
                    },
                    1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("item 4321");
  }
}
