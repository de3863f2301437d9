package dev.lattice.graph;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * A map that an update can change without copying it: a shared base that nobody modifies any more,
 * and this update's own changes (new values, or removals) on top. The next update starts from a
 * copy of the changes only, sharing the base; once the changes pass about the square root of the
 * base they are folded into a new base, so reads stay one or two hash lookups and an update copies
 * O(sqrt N) entries, amortised.
 *
 * <p>Before, each {@link Topology#update} copied every map of the resolved state: at 50,000
 * services that alone took about 50 ms, whatever the change.
 *
 * <p>Values are never null. A map is written by one resolver, then frozen inside a {@link State}
 * and only read, from any number of threads.
 */
final class Layered<K, V> extends AbstractMap<K, V> {
  private static final Object REMOVED = new Object();

  private final Map<K, V> base;

  /**
   * Made at the first write: most of the reverse indexes' sets a full resolution wraps are never
   * written (at 50,000 services, 90,000 empty maps for the collector to copy).
   */
  private HashMap<K, Object> changes;

  private int size;

  /** How many of the changes are removals. */
  private int removals;

  private Layered(Map<K, V> base, HashMap<K, Object> changes, int size, int removals) {
    this.base = base;
    this.changes = changes;
    this.size = size;
    this.removals = removals;
  }

  /** A map to change that starts as {@code previous}, which stays as it is. */
  @SuppressWarnings("unchecked")
  static <K, V> Layered<K, V> over(Map<K, V> previous) {
    if (!(previous instanceof Layered)) {
      return new Layered<>(previous, null, previous.size(), 0);
    }
    Layered<K, V> p = (Layered<K, V>) previous;
    if (p.changes == null) {
      return new Layered<>(p.base, null, p.size, 0);
    }
    if (p.base.isEmpty() && p.removals == 0) {
      // after a full resolution everything is a change: those changes become the base as they are
      return new Layered<>((Map<K, V>) (Map<K, ?>) p.changes, null, p.size, 0);
    }
    // each update copies the changes, each fold copies the base: folding once the changes pass
    // about sqrt(base) keeps both small (at 50,000 entries: ~1,000 copied per update, a fold of
    // 50,000 every few hundred updates); folding at base/8 made every update copy 6,000
    if (p.changes.size() > 256 + 4 * (int) Math.sqrt(p.base.size())) {
      return new Layered<>(new HashMap<>(p), new HashMap<>(), p.size, 0);
    }
    return new Layered<>(p.base, new HashMap<>(p.changes), p.size, p.removals);
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean containsKey(Object key) {
    if (changes == null) {
      return base.containsKey(key);
    }
    Object c = changes.get(key);
    if (c != null) {
      return c != REMOVED;
    }
    return base.containsKey(key);
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(Object key) {
    if (changes == null) {
      return base.get(key);
    }
    Object c = changes.get(key);
    if (c != null) {
      return c == REMOVED ? null : (V) c;
    }
    return base.get(key);
  }

  @Override
  public V getOrDefault(Object key, V defaultValue) {
    V v = get(key);
    return v != null ? v : defaultValue;
  }

  @Override
  public V put(K key, V value) {
    Objects.requireNonNull(value, "value");
    V old = get(key);
    if (changes().put(key, value) == REMOVED) {
      removals--;
    }
    if (old == null) {
      size++;
    }
    return old;
  }

  @Override
  public V remove(Object key) {
    V old = get(key);
    if (old == null) {
      return null;
    }
    @SuppressWarnings("unchecked")
    K k = (K) key;
    if (base.containsKey(key)) {
      changes().put(k, REMOVED);
      removals++;
    } else {
      changes().remove(key);
    }
    size--;
    return old;
  }

  private HashMap<K, Object> changes() {
    if (changes == null) {
      changes = new HashMap<>();
    }
    return changes;
  }

  @Override
  public Set<Map.Entry<K, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public Iterator<Map.Entry<K, V>> iterator() {
        return new Entries();
      }
    };
  }

  /** The changes that are values, then the base entries that were not changed; read-only. */
  private final class Entries implements Iterator<Map.Entry<K, V>> {
    // never made here: a frozen map is read from several threads
    private final Iterator<Map.Entry<K, Object>> changed =
        changes == null ? java.util.Collections.emptyIterator() : changes.entrySet().iterator();
    private final Iterator<Map.Entry<K, V>> kept = base.entrySet().iterator();
    private Map.Entry<K, V> next = advance();

    @SuppressWarnings("unchecked")
    private Map.Entry<K, V> advance() {
      while (changed.hasNext()) {
        Map.Entry<K, Object> e = changed.next();
        if (e.getValue() != REMOVED) {
          return new SimpleImmutableEntry<>(e.getKey(), (V) e.getValue());
        }
      }
      while (kept.hasNext()) {
        Map.Entry<K, V> e = kept.next();
        if (changes == null || !changes.containsKey(e.getKey())) {
          return e;
        }
      }
      return null;
    }

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    public Map.Entry<K, V> next() {
      if (next == null) {
        throw new NoSuchElementException();
      }
      Map.Entry<K, V> e = next;
      next = advance();
      return e;
    }
  }
}
