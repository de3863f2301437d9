package dev.lattice.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Objects;
import java.util.RandomAccess;

/** The items of an array node in one array; read-only once frozen. */
final class NodeList extends AbstractList<JsonNode> implements RandomAccess {
  private JsonNode[] items;
  private int size;
  private boolean frozen;

  NodeList(int capacity) {
    items = new JsonNode[Math.max(capacity, 1)];
  }

  void freeze() {
    if (frozen) {
      return;
    }
    frozen = true;
    for (int i = 0; i < size; i++) {
      items[i] = CompactNodeFactory.freeze(items[i]);
    }
  }

  private void writable() {
    if (frozen) {
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
    Objects.checkIndex(index, size);
    return items[index];
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public JsonNode set(int index, JsonNode element) {
    writable();
    Objects.checkIndex(index, size);
    JsonNode old = items[index];
    items[index] = element;
    return old;
  }

  @Override
  public void add(int index, JsonNode element) {
    writable();
    Objects.checkIndex(index, size + 1);
    if (size == items.length) {
      items = Arrays.copyOf(items, size * 2);
    }
    System.arraycopy(items, index, items, index + 1, size - index);
    items[index] = element;
    size++;
    modCount++;
  }

  @Override
  public JsonNode remove(int index) {
    writable();
    Objects.checkIndex(index, size);
    JsonNode old = items[index];
    System.arraycopy(items, index + 1, items, index, size - index - 1);
    items[--size] = null;
    modCount++;
    return old;
  }
}
