package dev.lattice.cilium;

import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import java.util.ArrayList;
import java.util.Arrays;
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
   * namespace: the same for every caller, so built once per render and shared ({@link
   * Peer#calleeNames}), entries and nodes included. Immutable but for {@link #sameNamespace()},
   * built once when first needed.
   */
  static final class Callee {
    final ServiceId id;
    final String clusterDomain;
    final List<String> nodeSearchDomains;

    /** Each base of the callee and its expansions by every suffix but the caller's namespace's. */
    final DnsName[] common;

    /** The bases, for their expansion by the caller's namespace. */
    final String[] bases;

    /** The suffixes but the caller's namespace's: {@code svc.<cd>}, {@code <cd>}, the node's. */
    private final String[] others;

    /**
     * What a caller in the callee's own namespace adds, built by the first such caller: the bases
     * by that namespace, the bare name and its expansions. Immutable once set; threads may race.
     */
    private volatile DnsName[] sameNamespace;

    private Callee(ServiceId id, String clusterDomain, List<String> nodeSearchDomains) {
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
    }

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
        sameNamespace = same = out.toArray(new DnsName[0]);
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
  // insert cost a quarter of re-rendering it after a pod-label change)
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
   * expansions. {@code pods} is the callee's pod peer of this render: it keeps the names every
   * caller shares, built by the first caller.
   */
  void service(ServiceId callee, Peer pods) {
    Callee c = pods == null ? null : pods.calleeNames();
    if (c == null || !c.isFor(callee, clusterDomain, nodeSearchDomains)) {
      c = new Callee(callee, clusterDomain, nodeSearchDomains);
      if (pods != null) {
        pods.calleeNames(c);
      }
    }
    names.addAll(Arrays.asList(c.common));
    if (callee.namespace().equals(namespace)) {
      names.addAll(Arrays.asList(c.sameNamespace()));
    } else {
      for (String b : c.bases) {
        addExpansion(b, searchSuffixes[0], false, names);
      }
    }
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
   * expansions, in arrival order, one per contribution (repeated).
   */
  List<DnsName> expanded(boolean patterns) {
    return patterns ? this.patterns : names;
  }

  boolean isEmpty() {
    return names.isEmpty() && patterns.isEmpty();
  }

  /** The {@code rules.dns} entries: sorted, exact ones first, without repeats. */
  List<DnsName> sorted() {
    List<DnsName> out = new ArrayList<>(names.size() + patterns.size());
    sortedInto(names, out);
    sortedInto(patterns, out);
    return out;
  }

  /**
   * Appends {@code entries} sorted, without repeats. Sorted once at the end: a scraper that calls
   * every service has hundreds of thousands of names, and inserting each into a tree cost a fifth
   * of the whole Cilium render at 20,000 services.
   */
  private static void sortedInto(List<DnsName> entries, List<DnsName> out) {
    DnsName[] all = entries.toArray(new DnsName[0]);
    Arrays.sort(all);
    DnsName last = null;
    for (DnsName n : all) {
      if (last == null || !n.same(last)) {
        out.add(n);
        last = n;
      }
    }
  }
}
