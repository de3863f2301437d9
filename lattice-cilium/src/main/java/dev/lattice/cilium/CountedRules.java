package dev.lattice.cilium;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The rule elements of one direction of a hub's policy, one per peer in peer order (as {@link
 * RuleSet} writes them), each with how many contributions allow it on each port. A patch adds or
 * subtracts a few contributions; only the elements whose ports changed are built again, and the
 * elements sit in an array list so that a hub's parts can be checked against them by index (a
 * scraper has 50,000; walking a tree of them per patch was a tenth of its cost).
 */
final class CountedRules {
  /** The contributions to one peer's element. */
  static final class Counted {
    final Peer peer;
    final TreeMap<L4Port, int[]> ports = new TreeMap<>();
    int all;
    ObjectNode element;
    int size;

    /** {@link Boundaries#hash(com.fasterxml.jackson.databind.JsonNode)} of its element. */
    int hash;

    /** In {@link #stale}. */
    boolean queued;

    Counted(Peer peer) {
      this.peer = peer;
    }
  }

  private final boolean ingress;
  private final ArrayList<Counted> sorted = new ArrayList<>();

  /** Those whose element must be built again (some may have gone since). */
  private final List<Counted> stale = new ArrayList<>();

  CountedRules(boolean ingress) {
    this.ingress = ingress;
  }

  /**
   * Adds {@code sign} (1 or -1) contributions to {@code peer} on {@code port}.
   *
   * @throws IllegalStateException when that would remove a contribution it does not have
   */
  void count(Peer peer, L4Port port, int sign) {
    Counted c = entry(peer, sign);
    int[] n = c.ports.get(port);
    if (n == null) {
      if (sign < 0) {
        throw new IllegalStateException("no contribution to remove: " + peer + " " + port);
      }
      c.ports.put(port, new int[] {1});
      changed(c);
      return;
    }
    n[0] += sign;
    if (n[0] == 0) {
      c.ports.remove(port);
      changed(c);
      prune(c);
    }
  }

  /**
   * Adds {@code sign} contributions to {@code peer} on every port.
   *
   * @throws IllegalStateException when that would remove a contribution it does not have
   */
  void countAll(Peer peer, int sign) {
    Counted c = entry(peer, sign);
    c.all += sign;
    if (c.all < 0) {
      throw new IllegalStateException("no contribution to remove: " + peer);
    }
    if (c.all == 0 || c.all == sign) {
      changed(c); // crossed zero
    }
    prune(c);
  }

  /** The entry of {@code peer}; a new one (in its place) for an addition. */
  private Counted entry(Peer peer, int sign) {
    int at = find(peer);
    if (at >= 0) {
      return sorted.get(at);
    }
    if (sign < 0) {
      throw new IllegalStateException("no contribution to remove: " + peer);
    }
    Counted c = new Counted(peer);
    sorted.add(-at - 1, c);
    return c;
  }

  private void changed(Counted c) {
    c.element = null;
    if (!c.queued) {
      c.queued = true;
      stale.add(c);
    }
  }

  private void prune(Counted c) {
    if (c.ports.isEmpty() && c.all == 0) {
      sorted.remove(find(c.peer));
    }
  }

  /** The index of {@code peer}, or {@code -(insertion point) - 1}. */
  private int find(Peer peer) {
    int lo = 0;
    int hi = sorted.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = sorted.get(mid).peer.compareTo(peer);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -(lo + 1);
  }

  /** Builds the elements that changed since the last call. */
  void build() {
    for (Counted c : stale) {
      c.queued = false;
      if (c.element == null && (c.all > 0 || !c.ports.isEmpty())) {
        c.element = RuleSet.element(c.peer, c.all > 0, c.ports.keySet(), ingress);
        c.size = RuleSet.size(c.peer, c.element, ingress);
        c.hash = Boundaries.hash(c.element);
      }
    }
    stale.clear();
  }

  int size() {
    return sorted.size();
  }

  /** The {@code i}th element, built. */
  ObjectNode element(int i) {
    return sorted.get(i).element;
  }

  int bytes(int i) {
    return sorted.get(i).size;
  }

  int hash(int i) {
    return sorted.get(i).hash;
  }
}
