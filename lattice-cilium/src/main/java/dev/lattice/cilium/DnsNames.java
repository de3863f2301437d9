package dev.lattice.cilium;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.lattice.internal.CompactNodeFactory;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import java.util.ArrayList;
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

  private final String namespace;
  private final String clusterDomain;
  private final List<String> searchSuffixes;
  // bases in arrival order, repeats allowed: expand() sorts and drops repeats once at the end (a
  // scraper adds about 150,000 names at 50,000 services, and a tree per insert cost a quarter of
  // re-rendering it after a pod-label change)
  private final List<String> names = new ArrayList<>();
  private final List<String> patterns = new ArrayList<>();

  /**
   * Names resolved by a pod of {@code namespace}, whose search path ends with {@code
   * nodeSearchDomains}.
   */
  DnsNames(String namespace, String clusterDomain, List<String> nodeSearchDomains) {
    this.namespace = namespace;
    this.clusterDomain = clusterDomain;
    this.searchSuffixes = new ArrayList<>();
    searchSuffixes.add(namespace + ".svc." + clusterDomain);
    searchSuffixes.add("svc." + clusterDomain);
    searchSuffixes.add(clusterDomain);
    searchSuffixes.addAll(nodeSearchDomains);
  }

  /**
   * The names of the Kubernetes Service of {@code callee}: the FQDN, {@code <svc>.<ns>}, {@code
   * <svc>.<ns>.svc}, and the bare {@code <svc>} when it shares the namespace.
   */
  void service(ServiceId callee) {
    String svc = callee.name() + "." + callee.namespace();
    names.add(svc + ".svc." + clusterDomain);
    names.add(svc);
    names.add(svc + ".svc");
    if (callee.namespace().equals(namespace)) {
      names.add(callee.name());
    }
  }

  /**
   * The per-pod names of {@code self}'s headless Service ({@code <pod>.<subdomain>.<ns>.svc.<cd>},
   * the subdomain its {@code podSubdomain}), by which peers such as StatefulSet members and a
   * training gang find each other.
   */
  void podsOf(Service self) {
    patterns.add("*." + self.podSubdomain() + "." + self.namespace() + ".svc." + clusterDomain);
  }

  /** An egress DNS name, exact or with a leading {@code *.} wildcard. */
  void fqdn(String name) {
    (name.indexOf('*') >= 0 ? patterns : names).add(name);
  }

  /** Adds {@code base} and its search-path expansions to {@code out}. */
  void expansions(String base, List<String> out) {
    out.add(base);
    for (String suffix : searchSuffixes) {
      int length = base.length() + 1 + suffix.length();
      if (length <= MAX_NAME) {
        out.add(new StringBuilder(length).append(base).append('.').append(suffix).toString());
      }
    }
  }

  /** The exact bases ({@code patterns} false) or the wildcard ones, in arrival order, repeated. */
  List<String> bases(boolean patterns) {
    return patterns ? this.patterns : names;
  }

  boolean isEmpty() {
    return names.isEmpty() && patterns.isEmpty();
  }

  /** The {@code rules.dns} list: every name and its search-path expansions, sorted, exact first. */
  ArrayNode toJson() {
    List<String> exact = expand(names);
    List<String> wildcards = expand(patterns);
    // sized once: a scraper's list has about 800,000 entries
    ArrayNode out = CompactNodeFactory.INSTANCE.arrayNode(exact.size() + wildcards.size());
    for (String n : exact) {
      out.addObject().put("matchName", n);
    }
    for (String p : wildcards) {
      out.addObject().put("matchPattern", p);
    }
    return out;
  }

  /**
   * The bases and their expansions, sorted, without repeats. Collected in a list and sorted once: a
   * scraper that calls every service has hundreds of thousands of names, and inserting each into a
   * tree cost a fifth of the whole Cilium render at 20,000 services.
   */
  private List<String> expand(List<String> bases) {
    List<String> all = new ArrayList<>(bases.size() * (searchSuffixes.size() + 1));
    for (String b : bases) {
      expansions(b, all);
    }
    all.sort(null);
    int kept = 0;
    for (int i = 0; i < all.size(); i++) {
      if (kept == 0 || !all.get(i).equals(all.get(kept - 1))) {
        all.set(kept++, all.get(i));
      }
    }
    return all.subList(0, kept);
  }
}
