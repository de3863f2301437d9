package dev.lattice.spec;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.model.SourceLocation;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Reads a YAML stream into located {@link Node} trees, one per document, from SnakeYAML's parser
 * events ({@link Yaml#parse}), whose marks give every node its line and column.
 *
 * <p>The reader builds the trees itself rather than through SnakeYAML's composer, because the
 * composer makes an alias the anchored node again and so forgets where the alias was written; here
 * an alias shares the anchored subtree, located at the alias, and every node counts against one
 * budget per stream with its aliases expanded: a "billion laughs" stream stops at the alias that
 * crosses the budget, in time linear in the text. It also reports duplicate keys with both places,
 * merges {@code <<} keys, and stops at the first mapping or list nested too deep. Scalars are typed
 * by {@link YamlScalars}; what stops SnakeYAML becomes a diagnostic by {@link YamlErrors}.
 */
final class YamlReader {
  /** The largest file or text the loader reads, in bytes (UTF-8) or characters. */
  static final int MAX_SIZE = 8 << 20;

  /** How deep mappings and lists may nest; specs need about ten levels. */
  static final int MAX_DEPTH = 64;

  /** How many nodes a stream may hold with its aliases expanded. */
  static final long MAX_NODES = 1_000_000;

  /**
   * The longest line read. SnakeYAML's reader copies its whole look-ahead window for every 1024
   * characters it reads ahead within a token, a comment or a run of spaces, so scanning a line
   * costs time quadratic in its length: an 8 MiB line takes about 20 s, one of this length about 30
   * ms.
   */
  static final int MAX_LINE = 256 * 1024;

  /**
   * SnakeYAML's own limits, as backstops: {@link #read} checks the size first, and SnakeYAML's
   * parser does not nest (only its composer, unused here, would).
   */
  private static final LoaderOptions OPTIONS = options();

  private final String file;
  private final YamlErrors errors;
  private final List<Node> documents = new ArrayList<>();
  private final List<Diagnostic> diagnostics = new ArrayList<>();
  private final Deque<Frame> stack = new ArrayDeque<>();
  private final Map<String, Node> anchors = new HashMap<>();
  private long nodes;
  private long aliased;
  private SourceLocation last;

  /** What a stream held: its non-empty documents, and the problems found reading it. */
  record Result(List<Node> documents, List<Diagnostic> diagnostics) {
    /** Whether reading stopped at an error (the documents read before it are kept). */
    boolean failed() {
      return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
  }

  private YamlReader(String file) {
    this.file = file;
    this.errors = new YamlErrors(file);
    this.last = SourceLocation.of(file, 1, 1);
  }

  /** Reads {@code text}, reporting locations in {@code file}. Never throws for bad input. */
  static Result read(String file, String text) {
    YamlReader reader = new YamlReader(file);
    if (text.length() > MAX_SIZE) {
      reader.diagnostics.add(
          Diagnostic.of(
              DiagnosticCode.YAML_TOO_LARGE,
              file,
              Optional.of(SourceLocation.of(file, 1, 1)),
              tooLarge(text.length() + " characters")));
    } else if (!reader.longLine(text)) {
      reader.parse(text);
    }
    return new Result(List.copyOf(reader.documents), List.copyOf(reader.diagnostics));
  }

  static String tooLarge(String size) {
    return "the file is "
        + size
        + "; Lattice reads spec files of at most "
        + (MAX_SIZE >> 20)
        + " MiB. Split it into several files (a directory of specs loads as"
        + " one graph)";
  }

  /** Reports the first line longer than {@link #MAX_LINE}, if there is one. */
  private boolean longLine(String text) {
    int line = 1;
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : '\n';
      if (c == '\n' || c == '\r') {
        if (i - start > MAX_LINE) {
          diagnostics.add(
              Diagnostic.of(
                  DiagnosticCode.YAML_TOO_LARGE,
                  file,
                  Optional.of(SourceLocation.of(file, line, 1)),
                  "line "
                      + line
                      + " is "
                      + (i - start)
                      + " characters long; Lattice reads lines of at most "
                      + MAX_LINE
                      + " (is it a binary or minified file?). Break the value over several"
                      + " lines, e.g. as a block scalar (|)"));
          return true;
        }
        if (c == '\n' || i + 1 >= text.length() || text.charAt(i + 1) != '\n') {
          line++;
        }
        start = i + 1;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- parsing

  private void parse(String text) {
    Event previous = null;
    try {
      for (Event e : new Yaml(OPTIONS).parse(new StringReader(text))) {
        event(e);
        previous = e;
      }
    } catch (Stop stop) {
      diagnostics.add(stop.diagnostic);
    } catch (YamlScalars.Unreadable u) {
      diagnostics.add(
          Diagnostic.of(
              u.tooLarge ? DiagnosticCode.YAML_TOO_LARGE : DiagnosticCode.YAML_SYNTAX,
              file,
              Optional.of(u.at),
              u.tooLarge ? u.getMessage() : "malformed YAML: " + u.getMessage()));
    } catch (NumberFormatException e) {
      // SnakeYAML's scanner takes any Unicode digit for a directive's version or a block scalar's
      // indentation, but parses only those Integer.parseInt knows
      diagnostics.add(
          errors.malformed(
              "a number could not be read (" + e.getMessage() + "); write its digits as 0-9",
              previous == null ? last : location(previous.getEndMark())));
    } catch (RuntimeException e) {
      // an unmarked parser error is placed where the last event read ends
      boolean parser = e instanceof YAMLException && previous != null;
      diagnostics.add(errors.failure(e, text, parser ? location(previous.getEndMark()) : last));
    }
  }

  /** One parser event: the structure and the values of the tree being built. */
  private void event(Event e) {
    Frame f = stack.peek();
    boolean key = f != null && f.mapping && f.expectsKey;
    switch (e.getEventId()) {
      case MappingStart:
      case SequenceStart:
        if (key) {
          throw notAKey(e);
        }
        last = location(e.getStartMark());
        if (stack.size() >= MAX_DEPTH) {
          throw stop(
              DiagnosticCode.YAML_TOO_LARGE,
              last,
              "mappings and lists nest deeper than "
                  + MAX_DEPTH
                  + " levels here; a spec needs"
                  + " about ten. Is a bracket left open?");
        }
        count(1);
        stack.push(
            new Frame(e.getEventId() == Event.ID.MappingStart, last, ((NodeEvent) e).getAnchor()));
        break;
      case MappingEnd:
      case SequenceEnd:
        last = location(e.getStartMark());
        Frame done = stack.pop();
        Node built = done.build();
        if (done.anchor != null) {
          anchors.put(done.anchor, built);
        }
        add(built);
        break;
      case Alias:
        if (key) {
          throw notAKey(e);
        }
        last = location(e.getStartMark());
        add(alias(((AliasEvent) e).getAnchor()));
        break;
      case Scalar:
        ScalarEvent scalar = (ScalarEvent) e;
        if (key) {
          last = location(e.getStartMark());
          key(f, scalar.getValue());
          break;
        }
        last = location(e.getStartMark());
        Node.Scalar value = YamlScalars.read(scalar, last, location(e.getEndMark()));
        count(1);
        if (scalar.getAnchor() != null) {
          anchors.put(scalar.getAnchor(), value);
        }
        add(value);
        break;
      default:
        // the stream's and documents' starts and ends; comments are not read
    }
  }

  /** A list, a mapping or an alias where a mapping key must be. */
  private Stop notAKey(Event e) {
    return new Stop(
        errors.malformed(
            "a mapping key must be plain text; a list, a mapping or an alias cannot be a key",
            location(e.getEndMark())));
  }

  private void key(Frame f, String key) {
    f.expectsKey = false;
    f.merging = "<<".equals(key);
    if (f.merging) {
      return;
    }
    Node.Entry first = f.entries.get(key);
    if (first != null) {
      diagnostics.add(
          Diagnostic.of(
              DiagnosticCode.YAML_DUPLICATE_KEY,
              file,
              Optional.of(last),
              "key \""
                  + Texts.abbreviate(key)
                  + "\" appears twice in this mapping (first at line "
                  + first.keyAt().line()
                  + ", column "
                  + first.keyAt().column()
                  + "); remove one, or merge the two into one entry"));
      f.dropValue = true;
      return;
    }
    f.key = key;
    f.keyAt = last;
  }

  private Node alias(String name) {
    Node target = anchors.get(name);
    if (target == null) {
      boolean open = stack.stream().anyMatch(f -> name.equals(f.anchor));
      throw stop(
          DiagnosticCode.YAML_SYNTAX,
          last,
          open
              ? "alias *"
                  + name
                  + " refers to the node that contains it; a spec cannot be"
                  + " recursive"
              : "alias *"
                  + name
                  + " names no anchor; define &"
                  + name
                  + " on a value earlier in"
                  + " the same document");
    }
    aliased += target.size();
    count(target.size());
    return target.relocate(last);
  }

  private void add(Node node) {
    Frame f = stack.peek();
    if (f == null) {
      // a document's root is complete; anchors do not cross documents
      anchors.clear();
      if (!(node instanceof Node.Scalar && ((Node.Scalar) node).isNull())) {
        documents.add(node);
      }
      return;
    }
    f.size += node.size();
    f.expectsKey = true;
    if (!f.mapping) {
      f.items.add(node);
    } else if (f.dropValue) {
      f.dropValue = false;
    } else if (f.merging) {
      merge(f, node);
    } else {
      f.entries.put(f.key, new Node.Entry(f.key, f.keyAt, node));
    }
  }

  /** A YAML merge key ({@code <<: *defaults}): its mappings' keys, where not given explicitly. */
  private void merge(Frame f, Node value) {
    f.merging = false;
    if (value instanceof Node.Mapping) {
      f.merges.add((Node.Mapping) value);
      return;
    }
    if (value instanceof Node.Sequence
        && ((Node.Sequence) value).items().stream().allMatch(Node.Mapping.class::isInstance)) {
      ((Node.Sequence) value).items().forEach(m -> f.merges.add((Node.Mapping) m));
      return;
    }
    throw stop(
        DiagnosticCode.YAML_SYNTAX,
        value.at(),
        "a merge key (<<) takes a mapping or a list of mappings, such as \"<<: *defaults\"; got "
            + value.describe());
  }

  private void count(long n) {
    nodes += n;
    if (nodes > MAX_NODES) {
      throw stop(
          DiagnosticCode.YAML_TOO_LARGE,
          last,
          aliased * 2 > nodes
              ? "the document expands to more than "
                  + MAX_NODES
                  + " nodes once its aliases are expanded (is it an alias bomb?); write the"
                  + " values out, or use fewer nested aliases"
              : "the file holds more than "
                  + MAX_NODES
                  + " values; a spec needs far fewer. Split it into several files");
    }
  }

  // ---------------------------------------------------------------- errors

  private Stop stop(DiagnosticCode code, SourceLocation at, String message) {
    return new Stop(Diagnostic.of(code, file, Optional.of(at), message));
  }

  private SourceLocation location(Mark m) {
    return SourceLocation.of(file, m.getLine() + 1, m.getColumn() + 1);
  }

  private static LoaderOptions options() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_SIZE + 1);
    options.setNestingDepthLimit(MAX_DEPTH + 8);
    options.setProcessComments(false);
    return options;
  }

  // ---------------------------------------------------------------- state

  /** A mapping or list being read. */
  private static final class Frame {
    final boolean mapping;
    final SourceLocation at;
    final String anchor;
    final Map<String, Node.Entry> entries = new LinkedHashMap<>();
    final List<Node> items = new ArrayList<>();
    final List<Node.Mapping> merges = new ArrayList<>();
    long size = 1;
    String key;
    SourceLocation keyAt;
    boolean dropValue;
    boolean merging;
    boolean expectsKey = true;

    Frame(boolean mapping, SourceLocation at, String anchor) {
      this.mapping = mapping;
      this.at = at;
      this.anchor = anchor;
    }

    Node build() {
      if (!mapping) {
        return new Node.Sequence(List.copyOf(items), at, size);
      }
      // explicit keys win over merged ones; among merged mappings, the first wins (YAML 1.1)
      for (Node.Mapping m : merges) {
        m.entries().forEach(entries::putIfAbsent);
      }
      return new Node.Mapping(Collections.unmodifiableMap(entries), at, size);
    }
  }

  /** Stops reading at the first problem that leaves the rest of the stream unreadable. */
  private static final class Stop extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Diagnostic diagnostic;

    Stop(Diagnostic diagnostic) {
      super(null, null, false, false);
      this.diagnostic = diagnostic;
    }
  }
}
