package dev.lattice.cilium;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.internal.CompactNodeFactory;

/**
 * One {@code rules.dns} entry: a name ({@code matchName}) or a wildcard one ({@code matchPattern}),
 * its frozen node and its {@link Documents#estimateBytes}. Built once per name and shared: the
 * names of a callee appear in the policy of each of its callers (and in a scraper's), so their
 * nodes are built once per render and referenced from every document (documents are read-only, and
 * the node is frozen before anything can share it). Millions of entries at 50,000 services were
 * most of the Cilium layer's allocation and of the heap that stays live until written.
 */
final class DnsName implements Comparable<DnsName> {
  final boolean pattern;
  final String text;
  final ObjectNode node;
  final int size;

  DnsName(boolean pattern, String text) {
    this.pattern = pattern;
    this.text = text;
    this.node =
        CompactNodeFactory.readOnly(
            CompactNodeFactory.INSTANCE
                .objectNode()
                .put(pattern ? "matchPattern" : "matchName", text));
    this.size = Documents.estimateBytes(node);
  }

  /** An exact name. */
  static DnsName exact(String text) {
    return new DnsName(false, text);
  }

  /** Exact names first, then wildcard ones, each by text. */
  @Override
  public int compareTo(DnsName o) {
    return pattern != o.pattern ? (pattern ? 1 : -1) : text.compareTo(o.text);
  }

  /** Whether it is the same entry as {@code o}. */
  boolean same(DnsName o) {
    return this == o || (pattern == o.pattern && text.equals(o.text));
  }

  @Override
  public String toString() {
    return (pattern ? "matchPattern " : "matchName ") + text;
  }
}
