package dev.lattice.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Objects;

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
    // most lists hold one item: room for more would be copied away when the list is frozen
    return new CompactArray(this, new NodeList(1));
  }

  @Override
  public ArrayNode arrayNode(int capacity) {
    return new CompactArray(this, new NodeList(capacity));
  }

  /**
   * A text node for {@code text}: one node per value for short values, shared by every tree (see
   * {@link TextNodes}), and a {@link PlainText} when the YAML writer may write it plain.
   */
  @Override
  public TextNode textNode(String text) {
    return TextNodes.of(text);
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
   * The frozen, key-sorted fields of {@code node} as key, value, key, value, ... read in place
   * (exactly the fields: freezing trims the array), or {@code null} when {@code node} is not a
   * frozen object of this factory that keeps its fields in one array.
   */
  public static Object[] frozenPairs(JsonNode node) {
    if (node instanceof CompactObject) {
      return ((CompactObject) node).smallMap().frozenPairs();
    }
    return null;
  }

  /**
   * The items of {@code node} read in place, exactly the items, when it is a frozen array of this
   * factory; otherwise {@code null}.
   */
  public static JsonNode[] frozenItems(JsonNode node) {
    return node instanceof CompactArray ? ((CompactArray) node).items().frozenItems() : null;
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
}
