package dev.lattice.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.lattice.internal.CompactNodeFactory;
import dev.lattice.internal.PlainText;
import dev.lattice.internal.QuotedText;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes Jackson trees as YAML and JSON in one canonical form: mapping keys sorted, lists in their
 * order, two-space indentation, strings plain only when YAML 1.1 and 1.2 parsers both read them
 * back as the same string. The same tree always gives the same bytes.
 *
 * <p>It writes UTF-8 bytes straight into one 64 KiB buffer ({@link Utf8Buffer}) that it hands to
 * the target whenever it fills, so it never holds a document's text, let alone a manifest's: the
 * output streams through a buffer of constant size. Frozen documents (every {@link Resource}'s)
 * keep their fields sorted and their arrays exact, so the writer reads them in place with no check
 * and no copy, and tells their nodes apart by class ({@link CompactNodeFactory}'s objects and
 * lists, {@link PlainText}, {@link QuotedText}) instead of through Jackson's virtual {@code
 * isObject()}, {@code size()}, {@code isTextual()}. Plain text is copied, not checked: the factory
 * checked it once when it made the node. At 50,000 services that took the serialise phase from
 * about 135 to 245 MB/s of one thread's CPU with C1 only (JFR had the per-char check and {@code
 * charAt} at half of it).
 */
final class Writers extends Utf8Buffer {
  private Writers(OutputStream stream, Appendable text) {
    super(stream, text);
  }

  /** A writer into {@code out}; call {@link #flush()} at the end. */
  static Writers to(OutputStream out) {
    return new Writers(out, null);
  }

  /**
   * A writer into {@code out} (UTF-8 decoded back into chars); call {@link #flush()} at the end.
   */
  static Writers to(Appendable out) {
    return new Writers(null, out);
  }

  /** One document, starting with {@code ---}. */
  static void yamlDocument(JsonNode document, StringBuilder out) {
    Writers w = to(out);
    w.yamlDocument(document);
    w.flush();
  }

  /** Each resource's document in order, one YAML stream. */
  static void yamlStream(List<Resource> resources, Appendable out) {
    Writers w = to(out);
    for (Resource r : resources) {
      w.yamlDocument(r.document());
    }
    w.flush();
  }

  /**
   * Each resource's document in order, one YAML stream, as UTF-8: on two threads when there are
   * enough documents and processors ({@link ParallelYaml}), the same bytes either way.
   */
  static void yamlStream(List<Resource> resources, OutputStream out) {
    if (ParallelYaml.applies(resources.size())) {
      ParallelYaml.write(resources, out);
      return;
    }
    Writers w = to(out);
    for (Resource r : resources) {
      w.yamlDocument(r.document());
    }
    w.flush();
  }

  // ---------------------------------------------------------------- YAML

  void yamlDocument(JsonNode document) {
    room(SLACK);
    put4('-', '-', '-', '\n');
    Object[] pairs = collection(document);
    if (pairs != null && pairs.length > 0 && !(pairs instanceof JsonNode[])) {
      yamlTree(pairs);
    } else {
      yamlInline(document);
      newline();
    }
  }

  /** A frame that holds a mapping's pairs, each key on its own line. */
  private static final byte MAPPING = 0;

  /** A mapping whose first key shares the line of a list item's dash. */
  private static final byte MAPPING_AFTER_DASH = 1;

  /** A frame that holds a list's items. */
  private static final byte SEQUENCE = 2;

  // the open collections of the document being written, innermost at the top: what it has (pairs
  // or items), how far it got, its indentation level and its kind; reused from document to document
  private Object[][] stackItems = new Object[16][];
  private int[] stackNext = new int[16];
  private int[] stackLevel = new int[16];
  private byte[] stackKind = new byte[16];

  /**
   * A non-empty top-level mapping and everything below it, in one loop over an explicit stack of
   * open collections rather than by recursion: with three mutually recursive methods, C2 compiled
   * one of them for 2 s at 50,000 services (it inlines through the recursion), on a core the two
   * writer threads needed; without the recursion the serialise phase took 702 instead of 860 ms
   * with JVM defaults (medians of four alternated cold runs), the same bytes. Nested mappings: each
   * key on its own line at its level, then {@code : value} on that line or a colon and the
   * collection below it at the next level. List items: a dash at their level, a mapping item's
   * first key on the dash's line.
   */
  private void yamlTree(Object[] root) {
    int top = push(-1, root, 0, MAPPING);
    while (top >= 0) {
      Object[] items = stackItems[top];
      int i = stackNext[top];
      if (i >= items.length) {
        stackItems[top--] = null;
        continue;
      }
      int level = stackLevel[top];
      if (stackKind[top] == SEQUENCE) {
        stackNext[top] = i + 1;
        JsonNode item = (JsonNode) items[i];
        indent(level);
        room(SLACK);
        put2('-', ' ');
        Class<?> c = item.getClass();
        if (c == PlainText.class) {
          plain(((TextNode) item).textValue());
          newline();
          continue;
        }
        Object[] nested = c == QuotedText.class ? null : collection(item);
        if (nested != null && nested.length > 0) {
          if (nested instanceof JsonNode[]) {
            newline();
            top = push(top, nested, level + 1, SEQUENCE);
          } else {
            top = push(top, nested, level + 1, MAPPING_AFTER_DASH);
          }
          continue;
        }
        yamlInline(item);
        newline();
      } else {
        stackNext[top] = i + 2;
        if (i > 0 || stackKind[top] != MAPPING_AFTER_DASH) {
          indent(level);
        }
        key((String) items[i]);
        JsonNode v = (JsonNode) items[i + 1];
        Class<?> c = v.getClass();
        Object[] nested = c == PlainText.class || c == QuotedText.class ? null : collection(v);
        room(SLACK);
        if (nested != null && nested.length > 0) {
          put2(':', '\n');
          top = push(top, nested, level + 1, nested instanceof JsonNode[] ? SEQUENCE : MAPPING);
          continue;
        }
        put2(':', ' ');
        yamlInline(v); // reads PlainText and QuotedText in place first
        newline();
      }
    }
  }

  /** Opens {@code items} above frame {@code top}; returns the new top. */
  private int push(int top, Object[] items, int level, byte kind) {
    int at = top + 1;
    if (at == stackItems.length) {
      int n = at * 2;
      stackItems = Arrays.copyOf(stackItems, n);
      stackNext = Arrays.copyOf(stackNext, n);
      stackLevel = Arrays.copyOf(stackLevel, n);
      stackKind = Arrays.copyOf(stackKind, n);
    }
    stackItems[at] = items;
    stackNext[at] = 0;
    stackLevel[at] = level;
    stackKind[at] = kind;
    return at;
  }

  /** A scalar, or an empty mapping or list. */
  private void yamlInline(JsonNode v) {
    Class<?> c = v.getClass();
    if (c == PlainText.class) {
      plain(((TextNode) v).textValue());
    } else if (c == QuotedText.class) {
      verbatimQuoted(((TextNode) v).textValue());
    } else if (v.isTextual()) {
      scalar(v.textValue());
    } else if (v.isObject()) {
      ascii("{}");
    } else if (v.isArray()) {
      ascii("[]");
    } else if (v.isNull() || v.isMissingNode()) {
      ascii("null");
    } else {
      quotedOrAscii(v.asText());
    }
  }

  // ---------------------------------------------------------------- JSON

  /** {@code node} as canonical JSON at {@code level} into {@code out}. */
  static void json(JsonNode node, int level, Appendable out) {
    Writers w = to(out);
    w.json(node, level);
    w.flush();
  }

  void json(JsonNode v, int level) {
    Class<?> c = v.getClass();
    if (c == PlainText.class || c == QuotedText.class) {
      verbatimQuoted(((TextNode) v).textValue());
      return;
    }
    Object[] nested = collection(v);
    if (nested == null) {
      if (v.isTextual()) {
        quoted(v.textValue());
      } else if (v.isNull() || v.isMissingNode()) {
        ascii("null");
      } else {
        quotedOrAscii(v.asText());
      }
    } else if (nested instanceof JsonNode[]) {
      if (nested.length == 0) {
        ascii("[]");
        return;
      }
      ascii("[\n");
      for (int i = 0; i < nested.length; i++) {
        if (i > 0) {
          ascii(",\n");
        }
        indent(level + 1);
        json((JsonNode) nested[i], level + 1);
      }
      raw('\n');
      indent(level);
      raw(']');
    } else {
      if (nested.length == 0) {
        ascii("{}");
        return;
      }
      ascii("{\n");
      for (int i = 0; i < nested.length; i += 2) {
        if (i > 0) {
          ascii(",\n");
        }
        indent(level + 1);
        quoted((String) nested[i]);
        ascii(": ");
        json((JsonNode) nested[i + 1], level + 1);
      }
      raw('\n');
      indent(level);
      raw('}');
    }
  }

  // ---------------------------------------------------------------- fields

  /**
   * The fields of an object as key, value, key, value, ... sorted by key (an {@code Object[]}), the
   * items of a list (a {@code JsonNode[]}), or {@code null} for a scalar. A frozen collection of
   * {@link CompactNodeFactory} is read in place: its fields were sorted when it was frozen, and its
   * array holds exactly its fields or items. Anything else is copied (and sorted).
   */
  private static Object[] collection(JsonNode v) {
    Object[] pairs = CompactNodeFactory.frozenPairs(v);
    if (pairs != null) {
      return pairs;
    }
    JsonNode[] items = CompactNodeFactory.frozenItems(v);
    if (items != null) {
      return items;
    }
    if (v.isObject()) {
      return sortedPairs(v);
    }
    if (v.isArray()) {
      JsonNode[] copy = new JsonNode[v.size()];
      for (int i = 0; i < copy.length; i++) {
        copy[i] = v.get(i);
      }
      return copy;
    }
    return null;
  }

  /** The fields of {@code node} as key, value, key, value, ... sorted by key, in a new array. */
  private static Object[] sortedPairs(JsonNode node) {
    List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.size());
    node.properties().forEach(fields::add);
    boolean sorted = true;
    for (int i = 1; i < fields.size() && sorted; i++) {
      sorted = fields.get(i - 1).getKey().compareTo(fields.get(i).getKey()) <= 0;
    }
    if (!sorted) {
      fields.sort(Map.Entry.comparingByKey());
    }
    Object[] pairs = new Object[fields.size() * 2];
    for (int i = 0; i < fields.size(); i++) {
      pairs[2 * i] = fields.get(i).getKey();
      pairs[2 * i + 1] = fields.get(i).getValue();
    }
    return pairs;
  }
}
