package dev.lattice.graph;

import dev.lattice.model.ServiceId;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A map keyed by service id in insertion order, like a {@code LinkedHashMap}, for the many small
 * maps of resolution: a node's declarations per peer, and the set of the services that admit one.
 * Up to {@value #LINEAR_LIMIT} entries it is one array of keys and values, searched linearly (the
 * keys are mostly the very instances looked up, see {@link Node}); beyond, a {@code LinkedHashMap}.
 *
 * <p>At 50,000 services a full resolution keeps about 140,000 such maps for the topology's life: as
 * {@code LinkedHashMap}s, with their tables and entries, they were a third of its objects, all
 * copied by the collector while it ran.
 *
 * <p>Values are never null. Not thread-safe while written; read-only afterwards.
 */
final class IdMap<V> extends AbstractMap<ServiceId, V> {
  static final int LINEAR_LIMIT = 8;

  private static final Object[] EMPTY = new Object[0];

  /** Keys at even, values at odd indexes, {@link #size} pairs of them; unused once large. */
  private Object[] slots = EMPTY;

  private int size;
  private LinkedHashMap<ServiceId, V> large;

  private int indexOf(Object key) {
    Object[] s = slots;
    int n = size * 2;
    for (int i = 0; i < n; i += 2) {
      if (s[i] == key) {
        return i;
      }
    }
    for (int i = 0; i < n; i += 2) {
      if (s[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public int size() {
    return large != null ? large.size() : size;
  }

  @Override
  public boolean isEmpty() {
    return size() == 0;
  }

  @Override
  public boolean containsKey(Object key) {
    return large != null ? large.containsKey(key) : indexOf(key) >= 0;
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(Object key) {
    if (large != null) {
      return large.get(key);
    }
    int i = indexOf(key);
    return i < 0 ? null : (V) slots[i + 1];
  }

  @Override
  @SuppressWarnings("unchecked")
  public V put(ServiceId key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (large != null) {
      return large.put(key, value);
    }
    int i = indexOf(key);
    if (i >= 0) {
      V old = (V) slots[i + 1];
      slots[i + 1] = value;
      return old;
    }
    if (size == LINEAR_LIMIT) {
      large = new LinkedHashMap<>(4 * LINEAR_LIMIT);
      for (int j = 0; j < size * 2; j += 2) {
        large.put((ServiceId) slots[j], (V) slots[j + 1]);
      }
      slots = EMPTY;
      size = 0;
      large.put(key, value);
      return null;
    }
    if (slots.length == size * 2) {
      slots = Arrays.copyOf(slots, Math.max(4, slots.length * 2));
    }
    slots[size * 2] = key;
    slots[size * 2 + 1] = value;
    size++;
    return null;
  }

  @Override
  @SuppressWarnings("unchecked")
  public V remove(Object key) {
    if (large != null) {
      return large.remove(key);
    }
    int i = indexOf(key);
    if (i < 0) {
      return null;
    }
    V old = (V) slots[i + 1];
    System.arraycopy(slots, i + 2, slots, i, size * 2 - i - 2);
    size--;
    slots[size * 2] = null;
    slots[size * 2 + 1] = null;
    return old;
  }

  @Override
  public void clear() {
    slots = EMPTY;
    size = 0;
    large = null;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void forEach(BiConsumer<? super ServiceId, ? super V> action) {
    if (large != null) {
      large.forEach(action);
      return;
    }
    Object[] s = slots;
    for (int i = 0, n = size * 2; i < n; i += 2) {
      action.accept((ServiceId) s[i], (V) s[i + 1]);
    }
  }

  /** A view made on each call, never kept: this map has no field for it. */
  @Override
  public Set<Map.Entry<ServiceId, V>> entrySet() {
    if (large != null) {
      return java.util.Collections.unmodifiableMap(large).entrySet();
    }
    return new AbstractSet<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public Iterator<Map.Entry<ServiceId, V>> iterator() {
        Object[] s = slots;
        int n = size * 2;
        return new Iterator<>() {
          private int i;

          @Override
          public boolean hasNext() {
            return i < n;
          }

          @Override
          @SuppressWarnings("unchecked")
          public Map.Entry<ServiceId, V> next() {
            if (i >= n) {
              throw new NoSuchElementException();
            }
            Map.Entry<ServiceId, V> e = new SimpleImmutableEntry<>((ServiceId) s[i], (V) s[i + 1]);
            i += 2;
            return e;
          }
        };
      }
    };
  }
}
