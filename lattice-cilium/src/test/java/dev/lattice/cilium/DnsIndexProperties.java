package dev.lattice.cilium;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A hub's {@code rules.dns} patched by random additions and removals groups exactly as the same
 * names indexed from scratch, with group sizes as {@link Documents#estimateBytes} gives them; and
 * the patch keeps untouched groups. Small groups (a few entries each) and names in runs that share
 * a prefix (a service's names and their expansions) put changes on every group boundary: the start
 * of a group, its end, the entry that stopped it. {@code -Dlattice.seed=N} replays one seed, {@code
 * -Dlattice.tries=N} sets how many run.
 */
class DnsIndexProperties {
  private static final Peer SERVER = Peer.pods("kube-system", java.util.Map.of("k8s-app", "dns"));

  @Test
  void patchedGroupsEqualGroupsFromScratch() {
    long reused = 0;
    for (long seed : PropertySeeds.list(200)) {
      try {
        reused += check(seed);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("seed " + seed + " (replay with -Dlattice.seed=" + seed + ")", e);
      }
    }
    // a suite whose patches never kept a group would not test the keeping
    assertThat(reused).isGreaterThan(100);
  }

  private static long check(long seed) {
    Random random = new Random(seed);
    int maxBytes = 60 + random.nextInt(400);
    List<String> names = new ArrayList<>();
    List<String> patterns = new ArrayList<>();
    for (int i = random.nextInt(40); i > 0; i--) {
      contribute(random, names, patterns);
    }
    DnsIndex index = new DnsIndex(SERVER, maxBytes);
    index.build(entries(names, false), entries(patterns, true));
    List<DnsIndex.Group> previous = index.regroup();
    long reused = 0;
    for (int step = 0; step < 12; step++) {
      List<String[]> added = new ArrayList<>();
      for (int i = random.nextInt(8); i > 0; i--) {
        List<String> n = new ArrayList<>();
        List<String> p = new ArrayList<>();
        contribute(random, n, p);
        n.forEach(x -> added.add(new String[] {"n", x}));
        p.forEach(x -> added.add(new String[] {"p", x}));
      }
      List<String[]> removed = new ArrayList<>();
      for (int i = random.nextInt(8); i > 0 && !(names.isEmpty() && patterns.isEmpty()); i--) {
        // a whole run of one service's names, or a single contribution
        List<String> from =
            patterns.isEmpty() || (!names.isEmpty() && random.nextBoolean()) ? names : patterns;
        String victim = from.get(random.nextInt(from.size()));
        String run = random.nextBoolean() ? victim.substring(0, victim.indexOf('.') + 1) : victim;
        for (int k = from.size() - 1; k >= 0; k--) {
          if (from.get(k).equals(victim) || (run.endsWith(".") && from.get(k).startsWith(run))) {
            removed.add(new String[] {from == names ? "n" : "p", from.remove(k)});
          }
        }
      }
      // as a hub patch does: the additions, then the removals
      for (String[] a : added) {
        index.add(new DnsName(a[0].equals("p"), a[1]), 1);
        (a[0].equals("p") ? patterns : names).add(a[1]);
      }
      for (String[] r : removed) {
        index.add(new DnsName(r[0].equals("p"), r[1]), -1);
      }
      List<DnsIndex.Group> got = index.regroup();
      DnsIndex fresh = new DnsIndex(SERVER, maxBytes);
      fresh.build(entries(names, false), entries(patterns, true));
      List<DnsIndex.Group> want = fresh.regroup();
      assertThat(elements(got)).as("step %d, max %d", step, maxBytes).isEqualTo(elements(want));
      for (DnsIndex.Group g : got) {
        assertThat(g.size).isEqualTo(Documents.estimateBytes(g.element));
        reused += previous.stream().filter(p -> p == g).count();
      }
      previous = got;
    }
    return reused;
  }

  /** One service's names: a few bases sharing its prefix, some repeated, or a wildcard one. */
  private static void contribute(Random random, List<String> names, List<String> patterns) {
    String svc = "s" + random.nextInt(30) + ".ns" + random.nextInt(3);
    if (random.nextInt(6) == 0) {
      patterns.add("*." + svc + ".svc.cluster.local");
      return;
    }
    names.add(svc);
    names.add(svc + ".svc");
    names.add(svc + ".svc.cluster.local");
    if (random.nextBoolean()) {
      names.add(svc + ".ns" + random.nextInt(3) + ".svc.cluster.local");
    }
  }

  private static List<DnsName> entries(List<String> texts, boolean pattern) {
    List<DnsName> out = new ArrayList<>();
    texts.forEach(t -> out.add(new DnsName(pattern, t)));
    out.sort(null); // as DnsNames.expanded gives them
    return out;
  }

  private static List<ObjectNode> elements(List<DnsIndex.Group> groups) {
    List<ObjectNode> out = new ArrayList<>();
    groups.forEach(g -> out.add(g.element));
    return out;
  }
}
