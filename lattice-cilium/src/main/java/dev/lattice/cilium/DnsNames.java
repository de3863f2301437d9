package dev.lattice.cilium;

import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The names one workload may resolve through kube-dns, as {@code rules.dns} entries.
 *
 * <p>Cilium's DNS proxy answers REFUSED to every name its rules do not allow, and musl and c-ares
 * end a whole search-list walk at the first REFUSED (C13). With Kubernetes' {@code ndots:5}, a
 * lookup of {@code api.data} from namespace {@code shop} first asks {@code
 * api.data.shop.svc.cluster.local}; if that expansion is refused, the lookup fails although {@code
 * api.data.svc.cluster.local} is allowed. So every allowed name also allows its expansions along
 * the workload's search path ({@code N.<ns>.svc.<cd>}, {@code N.svc.<cd>}, {@code N.<cd>}, then the
 * node's search domains from {@link CiliumOptions}), which kube-dns answers with NXDOMAIN.
 */
final class DnsNames {
  /** The longest name DNS can carry; resolvers skip longer expansions. */
  private static final int MAX_NAME = 253;

  /**
   * The names of one callee's Service and their expansions, but those by the caller's own
   * namespace: the same for every caller, so built once per render and shared by both of its
   * threads ({@link Peers#calleeNames}), entries and nodes included. Immutable but for {@link
   * #sameNamespace()}, built once when first needed.
   */
  static final class Callee {
    final ServiceId id;
    final String clusterDomain;
    final List<String> nodeSearchDomains;

    /**
     * Each base of the callee and its expansions by every suffix but the caller's namespace's,
     * sorted.
     */
    final DnsName[] common;

    /** The bases, for their expansion by the caller's namespace. */
    final String[] bases;

    /** The suffixes but the caller's namespace's: {@code svc.<cd>}, {@code <cd>}, the node's. */
    private final String[] others;

    /** {@link #sameNamespace()}, built by the first such caller; threads may race. */
    private volatile DnsName[] sameNamespace;

    Callee(ServiceId id, String clusterDomain, List<String> nodeSearchDomains) {
      this.id = id;
      this.clusterDomain = clusterDomain;
      this.nodeSearchDomains = nodeSearchDomains;
      String svc = id.name() + "." + id.namespace();
      this.bases = new String[] {svc + ".svc." + clusterDomain, svc, svc + ".svc"};
      this.others = new String[2 + nodeSearchDomains.size()];
      others[0] = "svc." + clusterDomain;
      others[1] = clusterDomain;
      for (int i = 0; i < nodeSearchDomains.size(); i++) {
        others[2 + i] = nodeSearchDomains.get(i);
      }
      List<DnsName> c = new ArrayList<>(bases.length * (others.length + 1));
      for (String b : bases) {
        c.add(DnsName.exact(b));
        for (String s : others) {
          addExpansion(b, s, false, c);
        }
      }
      this.common = c.toArray(new DnsName[0]);
      Arrays.sort(common);
    }

    /**
     * The entries of a caller in the callee's namespace, sorted: {@link #common} and the bases by
     * that namespace, the bare name and its expansions.
     */
    DnsName[] sameNamespace() {
      DnsName[] same = sameNamespace;
      if (same == null) {
        String own = id.namespace() + ".svc." + clusterDomain;
        List<DnsName> out = new ArrayList<>(bases.length + others.length + 2);
        for (String b : bases) {
          addExpansion(b, own, false, out);
        }
        out.add(DnsName.exact(id.name()));
        addExpansion(id.name(), own, false, out);
        for (String s : others) {
          addExpansion(id.name(), s, false, out);
        }
        DnsName[] extra = out.toArray(new DnsName[0]);
        Arrays.sort(extra);
        sameNamespace = same = merge(common, extra);
      }
      return same;
    }

    boolean isFor(ServiceId id, String clusterDomain, List<String> nodeSearchDomains) {
      return this.id.equals(id)
          && this.clusterDomain.equals(clusterDomain)
          && (this.nodeSearchDomains == nodeSearchDomains
              || this.nodeSearchDomains.equals(nodeSearchDomains));
    }
  }

  private final String namespace;
  private final String clusterDomain;
  private final List<String> nodeSearchDomains;
  private final String[] searchSuffixes;
  // entries in arrival order, repeats allowed (one per contribution): sorted() sorts and drops
  // repeats once at the end (a scraper adds about 600,000 at 50,000 services, and a tree per
  // insert cost a quarter of re-rendering it after a pod-label change). A callee's exact entries
  // come as one sorted run; put in order of their first entries, runs seldom overlap, and the
  // final sort finds them in order (it was a sixth of the render, comparing names one by one)
  private final ArrayList<DnsName[]> runs = new ArrayList<>();
  private int inRuns;
  private final ArrayList<DnsName> names = new ArrayList<>();
  private final ArrayList<DnsName> patterns = new ArrayList<>();

  /**
   * Names resolved by a pod of {@code namespace}, whose search path ends with {@code
   * nodeSearchDomains}.
   */
  DnsNames(String namespace, String clusterDomain, List<String> nodeSearchDomains) {
    this.namespace = namespace;
    this.clusterDomain = clusterDomain;
    this.nodeSearchDomains = nodeSearchDomains;
    this.searchSuffixes = new String[3 + nodeSearchDomains.size()];
    searchSuffixes[0] = namespace + ".svc." + clusterDomain;
    searchSuffixes[1] = "svc." + clusterDomain;
    searchSuffixes[2] = clusterDomain;
    for (int i = 0; i < nodeSearchDomains.size(); i++) {
      searchSuffixes[3 + i] = nodeSearchDomains.get(i);
    }
  }

  /**
   * The names of the Kubernetes Service of {@code callee}: the FQDN, {@code <svc>.<ns>}, {@code
   * <svc>.<ns>.svc}, and the bare {@code <svc>} when it shares the namespace; each with its
   * expansions. {@code peers}, when not null, keeps the names every caller of the render shares,
   * built by the first caller.
   */
  void service(ServiceId callee, Peers peers) {
    Callee c = peers == null ? null : peers.calleeNames(callee);
    if (c == null || !c.isFor(callee, clusterDomain, nodeSearchDomains)) {
      c = new Callee(callee, clusterDomain, nodeSearchDomains);
      if (peers != null) {
        peers.keepCalleeNames(c);
      }
    }
    DnsName[] run;
    if (callee.namespace().equals(namespace)) {
      run = c.sameNamespace();
    } else {
      List<DnsName> own = new ArrayList<>(c.bases.length);
      for (String b : c.bases) {
        addExpansion(b, searchSuffixes[0], false, own);
      }
      DnsName[] sorted = own.toArray(new DnsName[0]);
      Arrays.sort(sorted);
      run = merge(c.common, sorted);
    }
    runs.add(run);
    inRuns += run.length;
  }

  /** The sorted {@code a} and {@code b}, merged (repeats kept). */
  private static DnsName[] merge(DnsName[] a, DnsName[] b) {
    DnsName[] out = new DnsName[a.length + b.length];
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < a.length && j < b.length) {
      out[k++] = b[j].compareTo(a[i]) < 0 ? b[j++] : a[i++];
    }
    while (i < a.length) {
      out[k++] = a[i++];
    }
    while (j < b.length) {
      out[k++] = b[j++];
    }
    return out;
  }

  /**
   * The per-pod names of {@code self}'s headless Service ({@code <pod>.<subdomain>.<ns>.svc.<cd>},
   * the subdomain its {@code podSubdomain}), by which peers such as StatefulSet members and a
   * training gang find each other.
   */
  void podsOf(Service self) {
    expand(
        true,
        "*." + self.podSubdomain() + "." + self.namespace() + ".svc." + clusterDomain,
        patterns);
  }

  /** An egress DNS name, exact or with a leading {@code *.} wildcard. */
  void fqdn(String name) {
    boolean pattern = name.indexOf('*') >= 0;
    expand(pattern, name, pattern ? patterns : names);
  }

  /** Adds {@code base} and its search-path expansions to {@code out}. */
  private void expand(boolean pattern, String base, List<DnsName> out) {
    out.add(new DnsName(pattern, base));
    for (String suffix : searchSuffixes) {
      addExpansion(base, suffix, pattern, out);
    }
  }

  /** Adds {@code base.suffix} to {@code out} unless it is longer than DNS allows. */
  private static void addExpansion(String base, String suffix, boolean pattern, List<DnsName> out) {
    int length = base.length() + 1 + suffix.length();
    if (length <= MAX_NAME) {
      // one exact-size array, no builder (javac's indy concatenation)
      out.add(new DnsName(pattern, base + "." + suffix));
    }
  }

  /**
   * The exact entries ({@code patterns} false) or the wildcard ones, every base with its
   * expansions, one per contribution (repeated), sorted.
   */
  List<DnsName> expanded(boolean patterns) {
    if (patterns) {
      DnsName[] all = this.patterns.toArray(new DnsName[0]);
      Arrays.sort(all);
      return Arrays.asList(all);
    }
    runs.sort(FIRST);
    DnsName[] all = new DnsName[inRuns + names.size()];
    int k = 0;
    boolean sorted = names.isEmpty();
    for (DnsName[] run : runs) {
      // in order when each run starts after the last one ends: no sort then (they seldom overlap)
      sorted &= k == 0 || all[k - 1].compareTo(run[0]) <= 0;
      System.arraycopy(run, 0, all, k, run.length);
      k += run.length;
    }
    for (DnsName n : names) {
      all[k++] = n;
    }
    if (!sorted) {
      Arrays.sort(all);
    }
    return Arrays.asList(all);
  }

  private static final Comparator<DnsName[]> FIRST = (a, b) -> a[0].compareTo(b[0]);

  boolean isEmpty() {
    return runs.isEmpty() && names.isEmpty() && patterns.isEmpty();
  }

  /** The {@code rules.dns} entries: sorted, exact ones first, without repeats. */
  List<DnsName> sorted() {
    List<DnsName> exact = expanded(false);
    List<DnsName> wildcards = patterns.isEmpty() ? List.of() : expanded(true);
    List<DnsName> out = new ArrayList<>(exact.size() + wildcards.size());
    distinct(exact, out);
    distinct(wildcards, out);
    return out;
  }

  /** Appends the sorted {@code entries} to {@code out} without repeats. */
  private static void distinct(List<DnsName> entries, List<DnsName> out) {
    DnsName last = null;
    for (DnsName n : entries) {
      if (last == null || !n.same(last)) {
        out.add(n);
        last = n;
      }
    }
  }
}
