package dev.lattice.verify.world;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Kubernetes labels become part of a pod's Cilium identity (SEMANTICS C5). The default
 * label-prefix configuration of {@code pkg/labelsfilter/filter.go} (Cilium 1.18): a label is kept
 * when no ignore pattern matches it, or when the longest matching include pattern is longer than
 * the shortest matching ignore pattern; patterns are regular expressions anchored at the start of
 * the key.
 */
final class IdentityFilter {
  private static final class Prefix {
    final Pattern pattern;
    final boolean ignore;

    Prefix(String regex, boolean ignore) {
      this.pattern = Pattern.compile(regex);
      this.ignore = ignore;
    }

    /** The length of the match at the start of {@code key}, or -1. */
    int match(String key) {
      Matcher m = pattern.matcher(key);
      // Go's FindStringIndex: the leftmost match, which must start at 0
      if (m.find() && m.start() == 0) {
        return m.end();
      }
      return -1;
    }
  }

  private static final List<Prefix> DEFAULTS =
      List.of(
          new Prefix(Pattern.quote("io.kubernetes.pod.namespace"), false),
          new Prefix(Pattern.quote("io.cilium.k8s.namespace.labels"), false),
          new Prefix(Pattern.quote("app.kubernetes.io"), false),
          new Prefix(Pattern.quote("io.cilium.k8s.policy.cluster"), false),
          new Prefix("io\\.kubernetes", true),
          new Prefix("kubernetes\\.io", true),
          new Prefix(Pattern.quote("statefulset.kubernetes.io/pod-name"), true),
          new Prefix(Pattern.quote("apps.kubernetes.io/pod-index"), true),
          new Prefix(Pattern.quote("batch.kubernetes.io/job-completion-index"), true),
          new Prefix(".*beta\\.kubernetes\\.io", true),
          new Prefix("k8s\\.io", true),
          new Prefix("pod-template-generation", true),
          new Prefix("pod-template-hash", true),
          new Prefix("controller-revision-hash", true),
          new Prefix("annotation.*", true),
          new Prefix("etcd_node", true));

  private IdentityFilter() {}

  /** Whether Cilium keeps the Kubernetes label {@code key} in the identity. */
  static boolean keeps(String key) {
    int included = 0;
    int ignored = 0;
    for (Prefix p : DEFAULTS) {
      int len = p.match(key);
      if (len < 0) {
        continue;
      }
      if (p.ignore) {
        if (ignored == 0 || len < ignored) {
          ignored = len;
        }
      } else if (len > included) {
        included = len;
      }
    }
    return ignored == 0 || included > ignored;
  }

  /**
   * The identity of a pod: its kept labels, the namespace, service account and cluster labels, and
   * its namespace's labels under {@code io.cilium.k8s.namespace.labels.}, all with source {@code
   * k8s}.
   */
  static Map<String, String> podIdentity(
      String namespace,
      Map<String, String> podLabels,
      String serviceAccount,
      Map<String, String> namespaceLabels,
      String clusterName) {
    Map<String, String> all = new TreeMap<>();
    podLabels.forEach(all::put);
    all.put("io.kubernetes.pod.namespace", namespace);
    if (!serviceAccount.isEmpty()) {
      all.put("io.cilium.k8s.policy.serviceaccount", serviceAccount);
    }
    all.put("io.cilium.k8s.policy.cluster", clusterName);
    namespaceLabels.forEach((k, v) -> all.put("io.cilium.k8s.namespace.labels." + k, v));
    Map<String, String> out = new TreeMap<>();
    all.forEach(
        (k, v) -> {
          if (keeps(k)) {
            out.put("k8s:" + k, v);
          }
        });
    return out;
  }
}
