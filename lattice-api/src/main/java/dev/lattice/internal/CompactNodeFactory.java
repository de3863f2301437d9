package dev.lattice.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A {@link JsonNodeFactory} whose object nodes keep their fields in two small arrays instead of a
 * {@code LinkedHashMap}. Rendered documents are millions of objects of one to four fields; a {@code
 * LinkedHashMap} spends a 16-slot table and a 40-byte entry per field on each, which at 50,000
 * services was most of a 1.7 GB heap. Nodes behave exactly like Jackson's own: fields keep
 * insertion order, {@code equals} and {@code hashCode} follow {@link Map}'s contract, and nested
 * objects built through {@code putObject}/{@code addObject} come from this factory too. An object
 * that grows past {@value #LINEAR_LIMIT} fields moves to a {@code LinkedHashMap}, so lookups never
 * degrade.
 *
 * <pre>{@code
 * ObjectNode doc = CompactNodeFactory.INSTANCE.objectNode();
 * doc.putObject("metadata").put("name", "api");
 * }</pre>
 */
public final class CompactNodeFactory extends JsonNodeFactory {
  private static final long serialVersionUID = 1L;

  /** The factory; it holds no state. */
  public static final CompactNodeFactory INSTANCE = new CompactNodeFactory();

  /** Past this many fields, an object's fields move to a hash map. */
  public static final int LINEAR_LIMIT = 12;

  private CompactNodeFactory() {
    super(false);
  }

  @Override
  public ObjectNode objectNode() {
    return new ObjectNode(this, new SmallMap());
  }

  private Object readResolve() {
    return INSTANCE;
  }

  /**
   * Fields in insertion order: keys at even, values at odd indexes of one array, found by linear
   * search; a {@code LinkedHashMap} once the object outgrows {@link #LINEAR_LIMIT}.
   */
  static final class SmallMap extends AbstractMap<String, JsonNode> {
    private static final Object[] EMPTY = new Object[0];

    private Object[] slots = EMPTY;
    private int size;
    private int modCount;
    private LinkedHashMap<String, JsonNode> large;
    private Set<Map.Entry<String, JsonNode>> entries;

    private int indexOf(Object key) {
      if (key == null) {
        return -1;
      }
      Object[] s = slots;
      for (int i = 0, n = size * 2; i < n; i += 2) {
        if (key.equals(s[i])) {
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
    public boolean containsKey(Object key) {
      return large != null ? large.containsKey(key) : indexOf(key) >= 0;
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
      if (large != null) {
        return large.put(key, value);
      }
      int i = indexOf(key);
      if (i >= 0) {
        JsonNode old = (JsonNode) slots[i + 1];
        slots[i + 1] = value;
        return old;
      }
      if (size == LINEAR_LIMIT) {
        large = new LinkedHashMap<>();
        for (int j = 0; j < size * 2; j += 2) {
          large.put((String) slots[j], (JsonNode) slots[j + 1]);
        }
        slots = EMPTY;
        size = 0;
        modCount++;
        return large.put(key, value);
      }
      if (size * 2 == slots.length) {
        slots = Arrays.copyOf(slots, Math.max(4, slots.length * 2));
      }
      slots[size * 2] = key;
      slots[size * 2 + 1] = value;
      size++;
      modCount++;
      return null;
    }

    @Override
    public JsonNode remove(Object key) {
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
      int n = size * 2;
      System.arraycopy(slots, i + 2, slots, i, n - i - 2);
      slots[n - 2] = null;
      slots[n - 1] = null;
      size--;
      modCount++;
    }

    @Override
    public void clear() {
      if (large != null) {
        large.clear();
        return;
      }
      Arrays.fill(slots, null);
      size = 0;
      modCount++;
    }

    @Override
    public Set<Map.Entry<String, JsonNode>> entrySet() {
      Set<Map.Entry<String, JsonNode>> e = entries;
      if (e == null) {
        entries = e = new Entries();
      }
      return e;
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
          return large.entrySet().iterator();
        }
        return new Iterator<>() {
          private int next;
          private int last = -1;
          private int expected = modCount;

          @Override
          public boolean hasNext() {
            return next < size * 2;
          }

          @Override
          public Map.Entry<String, JsonNode> next() {
            if (expected != modCount) {
              throw new ConcurrentModificationException();
            }
            if (next >= size * 2) {
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
            if (expected != modCount) {
              throw new ConcurrentModificationException();
            }
            removeAt(last);
            next = last;
            last = -1;
            expected = modCount;
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
        return put(key, value);
      }

      @Override
      public boolean equals(Object o) {
        if (!(o instanceof Map.Entry)) {
          return false;
        }
        Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
        return key.equals(e.getKey()) && java.util.Objects.equals(getValue(), e.getValue());
      }

      @Override
      public int hashCode() {
        return key.hashCode() ^ java.util.Objects.hashCode(getValue());
      }

      @Override
      public String toString() {
        return key + "=" + getValue();
      }
    }
  }
}
