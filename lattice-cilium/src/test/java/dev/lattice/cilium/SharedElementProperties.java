package dev.lattice.cilium;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.internal.CompactNodeFactory;
import dev.lattice.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link RuleSet#element}, which shares a peer's element on one port ({@link Peer#onePort}), gives
 * the element a peer never asked before gives, whatever its peers were asked before (other ports,
 * the other direction, several ports, every port); and it does share. {@code -Dlattice.seed=N}
 * replays one seed, {@code -Dlattice.tries=N} sets how many run.
 */
class SharedElementProperties {
  @Test
  void sharedElementsEqualFreshOnes() {
    long shared = 0;
    for (long seed : PropertySeeds.list(200)) {
      try {
        shared += check(new Random(seed));
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("seed " + seed + " (replay with -Dlattice.seed=" + seed + ")", e);
      }
    }
    assertThat(shared).isGreaterThan(200);
  }

  private static long check(Random random) {
    List<Peer> peers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      peers.add(peer(i));
    }
    long shared = 0;
    for (int step = 0; step < 30; step++) {
      int which = random.nextInt(peers.size());
      boolean ingress = random.nextBoolean();
      boolean all = !ingress && random.nextInt(6) == 0;
      TreeSet<L4Port> ports = new TreeSet<>();
      for (int i = random.nextInt(3) + 1; i > 0; i--) {
        ports.add(
            random.nextBoolean()
                ? L4Port.HBONE
                : new L4Port(
                    8000 + random.nextInt(3), random.nextBoolean() ? Protocol.TCP : Protocol.UDP));
      }
      ObjectNode before =
          ports.size() == 1 ? peers.get(which).onePort(ingress, ports.first()) : null;
      ObjectNode got = RuleSet.element(peers.get(which), all, ports, ingress);
      ObjectNode want = RuleSet.element(peer(which), all, ports, ingress);
      assertThat(got).isEqualTo(want);
      assertThat(CompactNodeFactory.frozenPairs(got)).isNotNull();
      if (before != null && !all) {
        assertThat(got).isSameAs(before);
        shared++;
      }
    }
    return shared;
  }

  /** A fresh peer: nothing kept. */
  private static Peer peer(int i) {
    return Peer.pods("ns" + i, Map.of("app", "a" + i, "tier", "t"));
  }
}
