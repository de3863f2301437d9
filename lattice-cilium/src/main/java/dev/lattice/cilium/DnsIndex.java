package dev.lattice.cilium;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.internal.CompactNodeFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code rules.dns} entries of one kind ({@code matchName} or {@code matchPattern}) of a hub's
 * policy, sorted, each with how many contributions name it, its node and its estimated size: a
 * patch inserts or removes a few names instead of sorting hundreds of thousands again.
 */
final class DnsIndex {
  /** One entry: built once, shared by every render of the hub that keeps it. */
  static final class Entry {
    final String name;
    final ObjectNode node;
    final int size;
    int count;

    Entry(String field, String name, int count) {
      this.name = name;
      this.node = CompactNodeFactory.INSTANCE.objectNode().put(field, name);
      this.size = Documents.estimateBytes(node);
      this.count = count;
    }
  }

  private final String field;
  private final ArrayList<Entry> sorted = new ArrayList<>();

  DnsIndex(String field) {
    this.field = field;
  }

  /** Fills the index from {@code names}, repeats allowed (each one is a contribution). */
  void build(List<String> names) {
    names.sort(null);
    sorted.clear();
    sorted.ensureCapacity(names.size());
    for (int i = 0; i < names.size(); ) {
      int j = i + 1;
      while (j < names.size() && names.get(j).equals(names.get(i))) {
        j++;
      }
      sorted.add(new Entry(field, names.get(i), j - i));
      i = j;
    }
  }

  /**
   * Adds {@code delta} contributions to {@code name}.
   *
   * @throws IllegalStateException when that would remove a contribution it does not have
   */
  void add(String name, int delta) {
    int lo = 0;
    int hi = sorted.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      Entry e = sorted.get(mid);
      int c = e.name.compareTo(name);
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
          sorted.remove(mid);
        }
        return;
      }
    }
    if (delta < 0) {
      throw new IllegalStateException("no contribution to remove: " + name);
    }
    sorted.add(lo, new Entry(field, name, delta));
  }

  List<Entry> entries() {
    return sorted;
  }
}
