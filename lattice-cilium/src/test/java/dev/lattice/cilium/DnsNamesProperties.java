package dev.lattice.cilium;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.model.ServiceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.junit.jupiter.api.Test;

/**
 * {@link DnsNames} with its callees' names shared through {@link Peers} (two threads' peers on one
 * map of kept names, as a render's threads share them, sometimes names kept for another cluster
 * domain and search list, sometimes no peers at all) gives the entries of the plain rule: every
 * base with each of its search-path expansions that fit in 253 characters, one contribution per
 * base and expansion, and {@link DnsNames#sorted} is their sorted set, exact names first. {@code
 * -Dlattice.seed=N} replays one seed, {@code -Dlattice.tries=N} sets how many run.
 */
class DnsNamesProperties {
  private static final Peer SERVER = Peer.pods("kube-system", Map.of("k8s-app", "kube-dns"));

  @Test
  void sharedCalleeNamesGiveThePlainExpansions() {
    long shared = 0;
    for (long seed : PropertySeeds.list(300)) {
      try {
        shared += check(seed);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("seed " + seed + " (replay with -Dlattice.seed=" + seed + ")", e);
      }
    }
    // a suite whose callers never met a callee's kept names would not test the sharing
    assertThat(shared).isGreaterThan(100);
  }

  private static long check(long seed) {
    Random random = new Random(seed);
    String clusterDomain =
        random.nextInt(4) == 0 ? "c" + random.nextInt(2) + ".example" : "cluster.local";
    List<String> nodeSearch = new ArrayList<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      nodeSearch.add(
          random.nextInt(5) == 0 ? "x".repeat(200) : "corp" + random.nextInt(3) + ".net");
    }
    // the render's threads share one map; each caller here is on one of two threads
    ConcurrentMap<ServiceId, DnsNames.Callee> kept = new ConcurrentHashMap<>();
    List<Peers> threads = List.of(new Peers(kept), new Peers(kept));
    long shared = 0;
    for (int caller = random.nextInt(6) + 1; caller > 0; caller--) {
      String namespace = "ns" + random.nextInt(3);
      DnsNames dns = new DnsNames(namespace, clusterDomain, List.copyOf(nodeSearch));
      List<String[]> bases = new ArrayList<>(); // {"n" or "p", base}
      for (int i = random.nextInt(8); i > 0; i--) {
        if (random.nextInt(5) == 0) {
          String fqdn =
              (random.nextBoolean() ? "*." : "")
                  + (random.nextInt(6) == 0 ? "y".repeat(230) : "api" + random.nextInt(3))
                  + ".example.com";
          dns.fqdn(fqdn);
          bases.add(new String[] {fqdn.contains("*") ? "p" : "n", fqdn});
          continue;
        }
        String name =
            random.nextInt(8) == 0 ? "z".repeat(60 + random.nextInt(130)) : "s" + random.nextInt(4);
        ServiceId callee = ServiceId.of("ns" + random.nextInt(3), name);
        Peers peers;
        int pick = random.nextInt(6);
        if (pick == 0) {
          peers = null;
        } else {
          peers = threads.get(random.nextInt(2));
          if (pick == 1) {
            // names kept for the callee under another cluster domain or search list: they must
            // not be used
            kept.put(
                callee, new DnsNames.Callee(callee, clusterDomain + ".other", List.of("x.net")));
          }
        }
        if (peers != null
            && peers.calleeNames(callee) != null
            && peers.calleeNames(callee).isFor(callee, clusterDomain, nodeSearch)) {
          shared++;
        }
        dns.service(callee, peers);
        String svc = callee.name() + "." + callee.namespace();
        bases.add(new String[] {"n", svc + ".svc." + clusterDomain});
        bases.add(new String[] {"n", svc});
        bases.add(new String[] {"n", svc + ".svc"});
        if (callee.namespace().equals(namespace)) {
          bases.add(new String[] {"n", callee.name()});
        }
      }
      List<String> suffixes = new ArrayList<>();
      suffixes.add(namespace + ".svc." + clusterDomain);
      suffixes.add("svc." + clusterDomain);
      suffixes.add(clusterDomain);
      suffixes.addAll(nodeSearch);
      List<String> wantNames = new ArrayList<>();
      List<String> wantPatterns = new ArrayList<>();
      for (String[] b : bases) {
        List<String> to = b[0].equals("p") ? wantPatterns : wantNames;
        to.add(b[1]);
        for (String s : suffixes) {
          String e = b[1] + "." + s;
          if (e.length() <= 253) {
            to.add(e);
          }
        }
      }
      // sorted already, with repeats: the texts in order
      assertThat(texts(dns.expanded(false), false)).isEqualTo(sorted(wantNames));
      assertThat(texts(dns.expanded(true), true)).isEqualTo(sorted(wantPatterns));
      List<String> want = new ArrayList<>();
      new TreeSet<>(wantNames).forEach(n -> want.add("matchName " + n));
      new TreeSet<>(wantPatterns).forEach(n -> want.add("matchPattern " + n));
      List<String> got = new ArrayList<>();
      for (DnsName n : dns.sorted()) {
        assertThat(n.node.size()).isEqualTo(1);
        assertThat(n.node.get(n.pattern ? "matchPattern" : "matchName").textValue())
            .isEqualTo(n.text);
        assertThat(n.size).isEqualTo(Documents.estimateBytes(n.node));
        got.add(n.toString());
      }
      assertThat(got).isEqualTo(want);
      assertThat(dns.isEmpty()).isEqualTo(bases.isEmpty());
      // the rule's elements: the entries in order, cut in groups, each with its estimated size
      RuleSet rules = new RuleSet();
      rules.allowDns(SERVER, dns);
      RuleSet.Elements elements = rules.egressElements(60 + random.nextInt(2000));
      List<String> grouped = new ArrayList<>();
      for (int i = 0; i < elements.nodes.size(); i++) {
        ObjectNode e = elements.nodes.get(i);
        assertThat(elements.sizes()[i]).isEqualTo(Documents.estimateBytes(e));
        e.get("toPorts")
            .get(0)
            .get("rules")
            .get("dns")
            .forEach(
                n ->
                    grouped.add(
                        n.properties().iterator().next().getKey()
                            + " "
                            + n.properties().iterator().next().getValue().textValue()));
      }
      assertThat(grouped).isEqualTo(want);
    }
    return shared;
  }

  /** The texts of {@code entries}, each of the kind asked, sorted (repeats kept). */
  private static List<String> texts(List<DnsName> entries, boolean pattern) {
    List<String> out = new ArrayList<>();
    for (DnsName n : entries) {
      assertThat(n.pattern).isEqualTo(pattern);
      out.add(n.text);
    }
    return out;
  }

  private static List<String> sorted(List<String> list) {
    List<String> out = new ArrayList<>(list);
    out.sort(null);
    return out;
  }
}
