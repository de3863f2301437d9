package dev.lattice.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
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
    return new CompactObject(this, new SmallMap());
  }

  @Override
  public ArrayNode arrayNode() {
    return new CompactArray(this, new NodeList(4));
  }

  @Override
  public ArrayNode arrayNode(int capacity) {
    return new CompactArray(this, new NodeList(capacity));
  }

  private Object readResolve() {
    return INSTANCE;
  }

  /**
   * {@code node} made read-only, as {@link dev.lattice.output.Resource#of} makes every document:
   * for a node several documents share (renderers build such nodes once), frozen before it is
   * shared between threads. A tree of this factory is frozen in place; any other is copied.
   */
  public static ObjectNode readOnly(ObjectNode node) {
    return (ObjectNode) freeze(Objects.requireNonNull(node, "node"));
  }

  /**
   * {@code node} made read-only: a tree of this factory is frozen in place (its objects' fields
   * sorted by key, the canonical order of the writers), any other tree is copied into a frozen one.
   * Every mutator of a frozen object or array throws {@link UnsupportedOperationException}; {@code
   * deepCopy()} gives a mutable copy. Scalars are immutable already. Freezing a frozen tree costs
   * one check.
   */
  public static JsonNode freeze(JsonNode node) {
    if (node instanceof CompactObject) {
      CompactObject o = (CompactObject) node;
      o.smallMap().freeze();
      return o;
    }
    if (node instanceof CompactArray) {
      ((CompactArray) node).items().freeze();
      return node;
    }
    if (node.isObject()) {
      CompactObject copy = (CompactObject) INSTANCE.objectNode();
      node.properties().forEach(e -> copy.smallMap().put(e.getKey(), e.getValue()));
      copy.smallMap().freeze();
      return copy;
    }
    if (node.isArray()) {
      CompactArray copy = (CompactArray) INSTANCE.arrayNode(node.size());
      node.forEach(copy.items()::add);
      copy.items().freeze();
      return copy;
    }
    return node;
  }

  /** Item {@code i} of {@code array}, read in place when the array is this factory's. */
  public static JsonNode item(JsonNode array, int i) {
    return array instanceof CompactArray ? ((CompactArray) array).items().at(i) : array.get(i);
  }

  /**
   * The frozen, key-sorted fields of {@code node} as key, value, key, value, ... read in place (the
   * array may have spare room past {@code node.size()} pairs), or {@code null} when {@code node} is
   * not a frozen object of this factory that keeps its fields in one array.
   */
  public static Object[] frozenPairs(JsonNode node) {
    if (node instanceof CompactObject) {
      SmallMap m = ((CompactObject) node).smallMap();
      if (m.isFrozen() && m.isLinear()) {
        return m.pairs();
      }
    }
    return null;
  }

  /** An object node whose fields the writers read straight from its {@link SmallMap}. */
  // Jackson's own node classes narrow JsonNode's generic deepCopy(); a subclass inherits the
  // unchecked conversion javac then reports
  @SuppressWarnings("unchecked")
  static final class CompactObject extends ObjectNode {
    private static final long serialVersionUID = 1L;

    CompactObject(JsonNodeFactory factory, SmallMap fields) {
      super(factory, fields);
    }

    SmallMap smallMap() {
      return (SmallMap) _children;
    }
  }

  /** An array node whose items the writers read straight from its {@link NodeList}. */
  @SuppressWarnings("unchecked")
  static final class CompactArray extends ArrayNode {
    private static final long serialVersionUID = 1L;
    private final NodeList items;

    CompactArray(JsonNodeFactory factory, NodeList items) {
      super(factory, items);
      this.items = items;
    }

    NodeList items() {
      return items;
    }
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
    private boolean frozen;

    /**
     * Freezes the values, sorts the fields by key (the writers' canonical order; an object's
     * equality ignores order) and refuses every change from now on.
     */
    void freeze() {
      if (frozen) {
        return;
      }
      frozen = true;
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
      Object[] s = slots;
      for (int i = 1; i < size * 2; i += 2) {
        s[i] = CompactNodeFactory.freeze((JsonNode) s[i]);
      }
      // insertion sort of the pairs: objects are small and mostly built in order already
      for (int i = 2; i < size * 2; i += 2) {
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
    }

    private void writable() {
      if (frozen) {
        throw new UnsupportedOperationException(
            "a rendered document is read-only; change a deepCopy() of it");
      }
    }

    boolean isFrozen() {
      return frozen;
    }

    /** Whether the fields sit in the linear array of {@link #pairs()}. */
    boolean isLinear() {
      return large == null;
    }

    /**
     * The linear array itself: key, value, key, value, ... for the first {@link #size()} fields.
     * Only for reading: once frozen (it never changes then), or on the thread that builds the
     * object ({@link YamlSizes}).
     */
    Object[] pairs() {
      return slots;
    }

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
      int n = size * 2;
      System.arraycopy(slots, i + 2, slots, i, n - i - 2);
      slots[n - 2] = null;
      slots[n - 1] = null;
      size--;
      modCount++;
    }

    @Override
    public void clear() {
      writable();
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
          return frozen
              ? Collections.unmodifiableMap(large).entrySet().iterator()
              : large.entrySet().iterator();
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
        writable();
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
