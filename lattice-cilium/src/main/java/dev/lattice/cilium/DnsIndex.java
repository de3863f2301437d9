package dev.lattice.cilium;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.internal.CompactNodeFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code rules.dns} of a hub's policy: its entries ({@code matchName} ones, then {@code
 * matchPattern} ones, each sorted), each with how many contributions name it, its node and its
 * estimated size, and the elements they are grouped into, as {@link RuleSet#egressElements} groups
 * them. A patch inserts or removes a few names (a bisection and an array copy each) and {@link
 * #regroup} builds only the groups the change reaches: from the first group a change touched until
 * the grouping (content-defined, {@link Boundaries}) starts a group where an untouched one started
 * before, from where every group is the previous one. A scraper at 50,000 services has about
 * 800,000 entries; regrouping them all per patch was a third of its cost.
 */
final class DnsIndex {
  /** One entry: built once, shared by every render of the hub that keeps it. */
  static final class Entry {
    final boolean pattern;
    final String name;
    final ObjectNode node;
    final int size;
    final int hash;
    int count;

    /** The group it is in since the last {@link #regroup}; null before. */
    Group group;

    Entry(DnsName name, int count) {
      this.pattern = name.pattern;
      this.name = name.text;
      this.node = name.node; // shared with every policy that names it
      this.size = name.size;
      this.hash = Boundaries.hash(name.text);
      this.count = count;
    }

    int compareTo(boolean pattern, String name) {
      return this.pattern != pattern ? (this.pattern ? 1 : -1) : this.name.compareTo(name);
    }
  }

  /** One {@code rules.dns} element: a run of {@code count} entries from {@code first}. */
  static final class Group {
    final ObjectNode element;
    final int size;
    final Entry first;
    final int count;

    /** {@link Boundaries#hash(com.fasterxml.jackson.databind.JsonNode)} of its element. */
    final int hash;

    /** An entry was inserted into it or right after it, or removed: it may not stay as it is. */
    boolean dirty;

    Group(ObjectNode element, int size, Entry first, int count) {
      this.element = element;
      this.size = size;
      this.first = first;
      this.count = count;
      this.hash = Boundaries.hash(element);
    }
  }

  private final Peer server;
  private final int maxBytes;

  /** The estimated size of the DNS element without entries: each entry adds 12 and its own. */
  private final int baseBytes;

  private final ArrayList<Entry> sorted = new ArrayList<>();
  private List<Group> groups = List.of();

  /** The sum of the entries' sizes. */
  private long total;

  /** Whether the last {@link #regroup} cut at markers (the entries did not fit in one group). */
  private boolean chunked;

  /**
   * Entries grouped in elements of at most {@code maxBytes} of entries, lookups at {@code server}.
   */
  DnsIndex(Peer server, int maxBytes) {
    this.server = server;
    this.maxBytes = maxBytes;
    this.baseBytes =
        Documents.estimateBytes(
            RuleSet.dnsElement(server, CompactNodeFactory.INSTANCE.arrayNode()));
  }

  /**
   * Fills the index from {@code names} and {@code patterns} (exact and wildcard entries), each
   * sorted, repeats allowed (each one is a contribution), as {@link DnsNames#expanded} gives them.
   */
  void build(List<DnsName> names, List<DnsName> patterns) {
    sorted.clear();
    groups = List.of();
    total = 0;
    sorted.ensureCapacity(names.size() + patterns.size());
    fill(names, false);
    fill(patterns, true);
  }

  private void fill(List<DnsName> names, boolean pattern) {
    for (int i = 0; i < names.size(); ) {
      DnsName name = names.get(i);
      if (name.pattern != pattern) {
        throw new IllegalArgumentException("not a " + (pattern ? "pattern: " : "name: ") + name);
      }
      int j = i + 1;
      while (j < names.size() && names.get(j).same(name)) {
        j++;
      }
      Entry e = new Entry(name, j - i);
      sorted.add(e);
      total += e.size;
      i = j;
    }
  }

  /**
   * Adds {@code delta} contributions to {@code name}: an entry appears at its first and goes at its
   * last, and the group before it is marked.
   *
   * @throws IllegalStateException when that would remove a contribution it does not have
   */
  void add(DnsName entry, int delta) {
    boolean pattern = entry.pattern;
    String name = entry.text;
    int lo = 0;
    int hi = sorted.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      Entry e = sorted.get(mid);
      int c = e.compareTo(pattern, name);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        e.count += delta;
        if (e.count < 0) {
          throw new IllegalStateException("no contribution to remove: " + name);
        }
        if (e.count == 0) {
          // the group of the entry before: it loses an entry, or the entry that stopped it (a
          // group that started with this entry cannot start the same way again)
          mark(mid - 1);
          total -= sorted.remove(mid).size;
        }
        return;
      }
    }
    if (delta < 0) {
      throw new IllegalStateException("no contribution to remove: " + name);
    }
    // the group of the entry before: it gains an entry, or another entry stops it
    mark(lo - 1);
    Entry e = new Entry(entry, delta);
    sorted.add(lo, e);
    total += e.size;
  }

  private void mark(int index) {
    if (index >= 0 && index < sorted.size() && sorted.get(index).group != null) {
      sorted.get(index).group.dirty = true;
    }
  }

  /** Whether it has no entry. */
  boolean isEmpty() {
    return sorted.isEmpty();
  }

  /**
   * The groups over the entries in their order, as {@link RuleSet#egressElements} cuts them: one
   * when all fit in {@code maxBytes}, else a group ends after an entry that is a {@link
   * Boundaries#marker} (runs of {@code maxBytes / 2}) or before the entry that would take its
   * entries past {@code maxBytes} (a group holds at least one). Unmarked groups that start where a
   * group starts now are kept, the very objects.
   */
  List<Group> regroup() {
    List<Group> out = new ArrayList<>(groups.size() + 1);
    boolean cut = total > maxBytes;
    boolean reuse = cut == chunked;
    chunked = cut;
    int n = sorted.size();
    int i = 0;
    while (i < n) {
      Entry first = sorted.get(i);
      Group was = first.group;
      if (reuse && was != null && !was.dirty && was.first == first && i + was.count <= n) {
        // nothing was inserted into it, removed from it or right after it: the same entries, and
        // the same entry (or the end) stops it
        out.add(was);
        i += was.count;
        continue;
      }
      int bytes = 0;
      int estimate = baseBytes;
      int j = i;
      while (j < n && (j == i || bytes + sorted.get(j).size <= maxBytes)) {
        Entry e = sorted.get(j);
        bytes += e.size;
        estimate += 12 + e.size;
        j++;
        if (cut && Boundaries.marker(e.hash, e.size, maxBytes / 2)) {
          break;
        }
      }
      ArrayNode json = CompactNodeFactory.INSTANCE.arrayNode(j - i);
      for (int k = i; k < j; k++) {
        json.add(sorted.get(k).node);
      }
      Group made = new Group(RuleSet.dnsElement(server, json), estimate, first, j - i);
      for (int k = i; k < j; k++) {
        sorted.get(k).group = made;
      }
      out.add(made);
      i = j;
    }
    groups = out;
    return out;
  }
}
