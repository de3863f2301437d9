package dev.lattice.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractCollection;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The fields of a {@link CompactNodeFactory} object in insertion order: keys at even, values at odd
 * indexes of one array, found by linear search; a {@code LinkedHashMap} once the object outgrows
 * {@link CompactNodeFactory#LINEAR_LIMIT}.
 *
 * <p>It is 24 bytes: the array, the hash map (almost always none) and one {@code int} that packs
 * the size, the frozen flag and the modification count. It implements {@link Map} itself rather
 * than extending {@code AbstractMap}, whose two cached views cost 8 bytes per object, and once
 * frozen its array has no spare room. At 50,000 services the rendered documents hold 3.9 million
 * objects; with {@code AbstractMap}, a cached entry set and arrays grown by doubling, the maps and
 * their arrays were 318 MB of the heap that stays live after rendering.
 */
final class SmallMap implements Map<String, JsonNode> {
  private static final Object[] EMPTY = new Object[0];

  /** {@link #state} bits 0..7: the number of fields in {@link #slots}. */
  private static final int SIZE = 0xff;

  /** {@link #state} bit: read-only. */
  private static final int FROZEN = 1 << 8;

  /** {@link #state}: the modification count counts from this bit up. */
  private static final int MOD = 1 << 9;

  private Object[] slots = EMPTY;
  private LinkedHashMap<String, JsonNode> large;
  private int state;

  /**
   * Freezes the values, sorts the fields by key (the writers' canonical order; an object's equality
   * ignores order), trims the array to the fields and refuses every change from now on.
   */
  void freeze() {
    if ((state & FROZEN) != 0) {
      return;
    }
    state |= FROZEN;
    if (large != null) {
      List<Map.Entry<String, JsonNode>> sorted = new ArrayList<>(large.entrySet());
      sorted.sort(Map.Entry.comparingByKey());
      LinkedHashMap<String, JsonNode> rebuilt = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : sorted) {
        rebuilt.put(e.getKey(), CompactNodeFactory.freeze(e.getValue()));
      }
      large = rebuilt;
      return;
    }
    int n = (state & SIZE) * 2;
    Object[] s = slots.length == n ? slots : Arrays.copyOf(slots, n);
    for (int i = 1; i < n; i += 2) {
      s[i] = CompactNodeFactory.freeze((JsonNode) s[i]);
    }
    // insertion sort of the pairs: objects are small and mostly built in order already
    for (int i = 2; i < n; i += 2) {
      String key = (String) s[i];
      Object value = s[i + 1];
      int j = i - 2;
      while (j >= 0 && ((String) s[j]).compareTo(key) > 0) {
        s[j + 2] = s[j];
        s[j + 3] = s[j + 1];
        j -= 2;
      }
      s[j + 2] = key;
      s[j + 3] = value;
    }
    slots = n == 0 ? EMPTY : s;
  }

  private void writable() {
    if ((state & FROZEN) != 0) {
      throw new UnsupportedOperationException(
          "a rendered document is read-only; change a deepCopy() of it");
    }
  }

  private int linearSize() {
    return state & SIZE;
  }

  private void setLinearSize(int n) {
    state = (state & ~SIZE) + n + MOD;
  }

  private int modCount() {
    return state >>> 9;
  }

  /**
   * The frozen, key-sorted pairs, key, value, key, value, ... exactly the fields, read in place; or
   * {@code null} when the map is not frozen or keeps its fields in a hash map.
   */
  Object[] frozenPairs() {
    return (state & FROZEN) != 0 && large == null ? slots : null;
  }

  /** Whether the fields sit in the linear array of {@link #pairs()}. */
  boolean isLinear() {
    return large == null;
  }

  /**
   * The linear array itself: key, value, key, value, ... for the first {@link #size()} fields. Only
   * for reading: once frozen (it never changes then), or on the thread that builds the object
   * ({@link YamlSizes}).
   */
  Object[] pairs() {
    return slots;
  }

  private int indexOf(Object key) {
    if (key == null) {
      return -1;
    }
    Object[] s = slots;
    for (int i = 0, n = linearSize() * 2; i < n; i += 2) {
      if (key.equals(s[i])) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public int size() {
    return large != null ? large.size() : linearSize();
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
  public boolean containsValue(Object value) {
    return values().contains(value);
  }

  @Override
  public JsonNode get(Object key) {
    if (large != null) {
      return large.get(key);
    }
    int i = indexOf(key);
    return i < 0 ? null : (JsonNode) slots[i + 1];
  }

  @Override
  public JsonNode put(String key, JsonNode value) {
    writable();
    if (large != null) {
      return large.put(key, value);
    }
    int i = indexOf(key);
    if (i >= 0) {
      JsonNode old = (JsonNode) slots[i + 1];
      slots[i + 1] = value;
      return old;
    }
    int size = linearSize();
    if (size == CompactNodeFactory.LINEAR_LIMIT) {
      LinkedHashMap<String, JsonNode> map = new LinkedHashMap<>();
      for (int j = 0; j < size * 2; j += 2) {
        map.put((String) slots[j], (JsonNode) slots[j + 1]);
      }
      large = map;
      slots = EMPTY;
      setLinearSize(0);
      return map.put(key, value);
    }
    if (size * 2 == slots.length) {
      // 2, 4, 8, 16, 32 slots: most objects have one or two fields, and then freezing has no
      // spare room to trim (a copy per object)
      slots = Arrays.copyOf(slots, Math.max(2, slots.length * 2));
    }
    slots[size * 2] = key;
    slots[size * 2 + 1] = value;
    setLinearSize(size + 1);
    return null;
  }

  @Override
  public JsonNode remove(Object key) {
    writable();
    if (large != null) {
      return large.remove(key);
    }
    int i = indexOf(key);
    if (i < 0) {
      return null;
    }
    JsonNode old = (JsonNode) slots[i + 1];
    removeAt(i);
    return old;
  }

  private void removeAt(int i) {
    writable();
    int n = linearSize() * 2;
    System.arraycopy(slots, i + 2, slots, i, n - i - 2);
    slots[n - 2] = null;
    slots[n - 1] = null;
    setLinearSize(n / 2 - 1);
  }

  @Override
  public void putAll(Map<? extends String, ? extends JsonNode> m) {
    for (Map.Entry<? extends String, ? extends JsonNode> e : m.entrySet()) {
      put(e.getKey(), e.getValue());
    }
  }

  @Override
  public void clear() {
    writable();
    if (large != null) {
      large.clear();
      return;
    }
    Arrays.fill(slots, null);
    setLinearSize(0);
  }

  @Override
  public Set<String> keySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<String> iterator() {
        return mapped(entrySet().iterator(), Map.Entry::getKey);
      }

      @Override
      public int size() {
        return SmallMap.this.size();
      }

      @Override
      public boolean contains(Object k) {
        return containsKey(k);
      }
    };
  }

  @Override
  public Collection<JsonNode> values() {
    return new AbstractCollection<>() {
      @Override
      public Iterator<JsonNode> iterator() {
        return mapped(entrySet().iterator(), Map.Entry::getValue);
      }

      @Override
      public int size() {
        return SmallMap.this.size();
      }
    };
  }

  /** {@code f} of each entry of {@code it}; removing removes the entry. */
  private static <T> Iterator<T> mapped(
      Iterator<Map.Entry<String, JsonNode>> it, Function<Map.Entry<String, JsonNode>, T> f) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public T next() {
        return f.apply(it.next());
      }

      @Override
      public void remove() {
        it.remove();
      }
    };
  }

  @Override
  public Set<Map.Entry<String, JsonNode>> entrySet() {
    return new Entries();
  }

  /** {@link Map#equals}' contract, as {@code AbstractMap} implements it. */
  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof Map)) {
      return false;
    }
    Map<?, ?> m = (Map<?, ?>) o;
    if (m.size() != size()) {
      return false;
    }
    for (Map.Entry<String, JsonNode> e : entrySet()) {
      JsonNode value = e.getValue();
      Object other = m.get(e.getKey());
      if (value == null ? other != null || !m.containsKey(e.getKey()) : !value.equals(other)) {
        return false;
      }
    }
    return true;
  }

  /** {@link Map#hashCode}' contract: the sum of the entries' hash codes. */
  @Override
  public int hashCode() {
    int h = 0;
    for (Map.Entry<String, JsonNode> e : entrySet()) {
      h += e.getKey().hashCode() ^ Objects.hashCode(e.getValue());
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, JsonNode> e : entrySet()) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(e.getKey()).append('=').append(e.getValue());
    }
    return sb.append('}').toString();
  }

  /** The entries, live: through the hash map once there is one. */
  private final class Entries extends AbstractSet<Map.Entry<String, JsonNode>> {
    @Override
    public int size() {
      return SmallMap.this.size();
    }

    @Override
    public Iterator<Map.Entry<String, JsonNode>> iterator() {
      if (large != null) {
        return (state & FROZEN) != 0
            ? java.util.Collections.unmodifiableMap(large).entrySet().iterator()
            : large.entrySet().iterator();
      }
      return new Iterator<>() {
        private int next;
        private int last = -1;
        private int expected = modCount();

        @Override
        public boolean hasNext() {
          return next < linearSize() * 2;
        }

        @Override
        public Map.Entry<String, JsonNode> next() {
          if (expected != modCount()) {
            throw new ConcurrentModificationException();
          }
          if (next >= linearSize() * 2) {
            throw new NoSuchElementException();
          }
          last = next;
          next += 2;
          return new Entry(last);
        }

        @Override
        public void remove() {
          if (last < 0) {
            throw new IllegalStateException();
          }
          if (expected != modCount()) {
            throw new ConcurrentModificationException();
          }
          removeAt(last);
          next = last;
          last = -1;
          expected = modCount();
        }
      };
    }
  }

  /** One field, writing through to the array. */
  private final class Entry implements Map.Entry<String, JsonNode> {
    private final int index;
    private final String key;

    Entry(int index) {
      this.index = index;
      this.key = (String) slots[index];
    }

    @Override
    public String getKey() {
      return key;
    }

    @Override
    public JsonNode getValue() {
      Object[] s = slots;
      return large == null && index < s.length && s[index] == key
          ? (JsonNode) s[index + 1]
          : get(key);
    }

    @Override
    public JsonNode setValue(JsonNode value) {
      writable();
      return put(key, value);
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Map.Entry)) {
        return false;
      }
      Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
      return key.equals(e.getKey()) && Objects.equals(getValue(), e.getValue());
    }

    @Override
    public int hashCode() {
      return key.hashCode() ^ Objects.hashCode(getValue());
    }

    @Override
    public String toString() {
      return key + "=" + getValue();
    }
  }
}
