package dev.lattice.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.lattice.internal.CompactNodeFactory;
import dev.lattice.internal.PlainText;
import dev.lattice.internal.QuotedText;
import java.io.OutputStream;
import java.util.ArrayList;
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
      yamlMapping(pairs, 0, false);
    } else {
      yamlInline(document);
      newline();
    }
  }

  /**
   * A non-empty mapping, each key on its own line at {@code level}; with {@code afterDash}, the
   * first key shares the line of a list item's dash.
   */
  private void yamlMapping(Object[] pairs, int level, boolean afterDash) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (i > 0 || !afterDash) {
        indent(level);
      }
      key((String) pairs[i]);
      yamlValue((JsonNode) pairs[i + 1], level);
    }
  }

  /**
   * What follows a key: {@code : value} on its line, or a colon and the nested collection below it
   * at {@code level + 1}. Text nodes of {@link CompactNodeFactory} and its frozen collections are
   * told apart by class and read in place; anything else takes the general path.
   */
  private void yamlValue(JsonNode v, int level) {
    Class<?> c = v.getClass();
    if (c == PlainText.class) {
      room(SLACK);
      put2(':', ' ');
      plain(((TextNode) v).textValue());
      newline();
      return;
    }
    if (c == QuotedText.class) {
      room(SLACK);
      put2(':', ' ');
      verbatimQuoted(((TextNode) v).textValue());
      newline();
      return;
    }
    Object[] nested = collection(v);
    if (nested != null && nested.length > 0) {
      room(SLACK);
      put2(':', '\n');
      if (nested instanceof JsonNode[]) {
        yamlSequence((JsonNode[]) nested, level + 1);
      } else {
        yamlMapping(nested, level + 1, false);
      }
      return;
    }
    room(SLACK);
    put2(':', ' ');
    yamlInline(v);
    newline();
  }

  private void yamlSequence(JsonNode[] items, int level) {
    for (JsonNode item : items) {
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
          yamlSequence((JsonNode[]) nested, level + 1);
        } else {
          yamlMapping(nested, level + 1, true);
        }
        continue;
      }
      yamlInline(item);
      newline();
    }
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
