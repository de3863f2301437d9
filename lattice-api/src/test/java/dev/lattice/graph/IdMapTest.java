package dev.lattice.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.model.ServiceId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An {@link IdMap} changed at random holds what a {@link LinkedHashMap} changed the same way holds,
 * in the same order, below and above its linear limit, whether the keys looked up are the stored
 * instances or equal copies.
 */
class IdMapTest {
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void behavesLikeALinkedHashMap(long seed) {
    Random random = new Random(seed);
    // few keys for some seeds (the array only), more than the limit for others
    int keys = seed % 2 == 0 ? IdMap.LINEAR_LIMIT : 4 * IdMap.LINEAR_LIMIT;
    List<ServiceId> pool = new ArrayList<>();
    for (int k = 0; k < keys; k++) {
      pool.add(ServiceId.of("ns-" + k % 3, "svc-" + k));
    }
    for (int round = 0; round < 40; round++) {
      IdMap<String> map = new IdMap<>();
      Map<ServiceId, String> model = new LinkedHashMap<>();
      int ops = random.nextInt(4 * keys);
      for (int i = 0; i < ops; i++) {
        ServiceId stored = pool.get(random.nextInt(keys));
        // an equal id that is not the stored instance half of the time
        ServiceId key =
            random.nextBoolean() ? stored : ServiceId.of(stored.namespace(), stored.name());
        if (random.nextInt(4) == 0) {
          assertThat(map.remove(key)).isEqualTo(model.remove(key));
        } else {
          String value = "v" + round + "." + i;
          assertThat(map.put(key, value)).isEqualTo(model.put(key, value));
        }
        ServiceId probe = pool.get(random.nextInt(keys));
        assertThat(map.get(probe)).isEqualTo(model.get(probe));
        assertThat(map.containsKey(probe)).isEqualTo(model.containsKey(probe));
        assertThat(map.size()).isEqualTo(model.size());
      }
      assertThat(new ArrayList<>(map.entrySet())).isEqualTo(new ArrayList<>(model.entrySet()));
      List<String> walked = new ArrayList<>();
      map.forEach((k, v) -> walked.add(k + "=" + v));
      List<String> want = new ArrayList<>();
      model.forEach((k, v) -> want.add(k + "=" + v));
      assertThat(walked).isEqualTo(want);
      assertThat(map).isEqualTo(model);
      assertThat(model).isEqualTo(map);
      assertThat(map.hashCode()).isEqualTo(model.hashCode());
      assertThat(map.isEmpty()).isEqualTo(model.isEmpty());
      assertThat(map.get("not an id")).isNull();
    }
  }
}
