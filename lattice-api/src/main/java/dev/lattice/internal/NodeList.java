package dev.lattice.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The items of an array node in one array; read-only once frozen, and then the array holds exactly
 * the items. 24 bytes: the array, the size and the frozen flag in one {@code int}, and {@code
 * AbstractList}'s modification count.
 */
final class NodeList extends AbstractList<JsonNode> implements RandomAccess {
  private static final JsonNode[] EMPTY = new JsonNode[0];

  /** The sign bit of {@link #sizeAndFrozen}. */
  private static final int FROZEN = Integer.MIN_VALUE;

  private JsonNode[] items;
  private int sizeAndFrozen;

  NodeList(int capacity) {
    items = new JsonNode[Math.max(capacity, 1)];
  }

  void freeze() {
    if (sizeAndFrozen < 0) {
      return;
    }
    int size = sizeAndFrozen;
    JsonNode[] a = size == 0 ? EMPTY : items.length == size ? items : Arrays.copyOf(items, size);
    for (int i = 0; i < size; i++) {
      a[i] = CompactNodeFactory.freeze(a[i]);
    }
    items = a;
    sizeAndFrozen = size | FROZEN;
  }

  /** The items, exactly, read in place, once frozen; {@code null} before. */
  JsonNode[] frozenItems() {
    return sizeAndFrozen < 0 ? items : null;
  }

  private void writable() {
    if (sizeAndFrozen < 0) {
      throw new UnsupportedOperationException(
          "a rendered document is read-only; change a deepCopy() of it");
    }
  }

  /** The item at {@code i}, unchecked: the writers' loop. */
  JsonNode at(int i) {
    return items[i];
  }

  @Override
  public JsonNode get(int index) {
    Objects.checkIndex(index, size());
    return items[index];
  }

  @Override
  public int size() {
    return sizeAndFrozen & ~FROZEN;
  }

  @Override
  public JsonNode set(int index, JsonNode element) {
    writable();
    Objects.checkIndex(index, sizeAndFrozen);
    JsonNode old = items[index];
    items[index] = element;
    return old;
  }

  @Override
  public void add(int index, JsonNode element) {
    writable();
    int size = sizeAndFrozen;
    Objects.checkIndex(index, size + 1);
    if (size == items.length) {
      items = Arrays.copyOf(items, Math.max(1, size * 2));
    }
    System.arraycopy(items, index, items, index + 1, size - index);
    items[index] = element;
    sizeAndFrozen = size + 1;
    modCount++;
  }

  @Override
  public JsonNode remove(int index) {
    writable();
    int size = sizeAndFrozen;
    Objects.checkIndex(index, size);
    JsonNode old = items[index];
    System.arraycopy(items, index + 1, items, index, size - index - 1);
    items[--size] = null;
    sizeAndFrozen = size;
    modCount++;
    return old;
  }
}
