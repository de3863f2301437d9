package dev.lattice.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.model.SourceLocation;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Reads a YAML stream into located {@link Node} trees, one per document, with Jackson's streaming
 * {@link YAMLParser} (SnakeYAML underneath).
 *
 * <p>Jackson does not build trees with locations, detect duplicate keys or expand aliases (it
 * reports an alias as a string holding the anchor's name), so this reader does all three. An alias
 * shares the anchored subtree instead of copying it, and every node counts against one budget per
 * stream with its aliases expanded: a "billion laughs" stream stops at the alias that crosses the
 * budget, in time linear in the text.
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

  private static final LocatedFactory FACTORY = new LocatedFactory();

  /** Fully-qualified Java class names, which never belong in a message for a spec author. */
  private static final Pattern CLASS_NAME =
      Pattern.compile("<?\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:\\([^)]*\\))?>?");

  private final String file;
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
    try (LocatedParser p = FACTORY.open(new StringReader(text))) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        last = location(p.currentTokenLocation());
        token(t, p);
      }
    } catch (Stop stop) {
      diagnostics.add(stop.diagnostic);
    } catch (IOException | RuntimeException e) {
      diagnostics.add(failure(e, text));
    }
  }

  private void token(JsonToken t, LocatedParser p) throws IOException {
    switch (t) {
      case START_OBJECT:
      case START_ARRAY:
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
        stack.push(new Frame(t == JsonToken.START_OBJECT, last, p.anchor()));
        break;
      case FIELD_NAME:
        key(stack.element(), p.getText());
        break;
      case END_OBJECT:
      case END_ARRAY:
        Frame done = stack.pop();
        Node built = done.build();
        if (done.anchor != null) {
          anchors.put(done.anchor, built);
        }
        add(built);
        break;
      default:
        if (p.isCurrentAlias()) {
          add(alias(p.getText()));
        } else {
          count(1);
          Node scalar = scalar(t, p);
          String anchor = p.anchor();
          if (anchor != null) {
            anchors.put(anchor, scalar);
          }
          add(scalar);
        }
    }
  }

  private void key(Frame f, String key) {
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

  private Node scalar(JsonToken t, LocatedParser p) throws IOException {
    String text = p.getText();
    switch (t) {
      case VALUE_NUMBER_INT:
        BigInteger value = p.getBigIntegerValue();
        return new Node.Scalar(Node.Kind.INTEGER, text, value, false, last);
      case VALUE_NUMBER_FLOAT:
        return new Node.Scalar(Node.Kind.FLOAT, text, null, false, last);
      case VALUE_TRUE:
      case VALUE_FALSE:
        return new Node.Scalar(Node.Kind.BOOLEAN, text, null, t == JsonToken.VALUE_TRUE, last);
      case VALUE_NULL:
        return new Node.Scalar(Node.Kind.NULL, "", null, false, last);
      default:
        // strings, and values Jackson cannot type (e.g. !!binary): their text is what counts
        return new Node.Scalar(Node.Kind.STRING, text == null ? "" : text, null, false, last);
    }
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

  /** A diagnostic for whatever stopped Jackson or SnakeYAML: never a stack trace or class name. */
  private Diagnostic failure(Exception e, String text) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof MarkedYAMLException) {
        return marked((MarkedYAMLException) c);
      }
      if (c instanceof ReaderException) {
        ReaderException r = (ReaderException) c;
        return Diagnostic.of(
            DiagnosticCode.YAML_SYNTAX,
            file,
            Optional.of(atCodePoint(text, r.getPosition())),
            String.format(
                Locale.ROOT,
                "the file contains the character U+%04X, which YAML does not allow; is it a"
                    + " binary file? Remove the character, or quote it as \"\\u%04X\"",
                r.getCodePoint(),
                r.getCodePoint()));
      }
      if (c instanceof StreamConstraintsException) {
        return Diagnostic.of(
            DiagnosticCode.YAML_TOO_LARGE,
            file,
            Optional.of(last),
            clean(((StreamConstraintsException) c).getOriginalMessage())
                + "; Lattice does not read values this large");
      }
    }
    SourceLocation at = last;
    String message = e.getMessage();
    if (e instanceof JsonProcessingException) {
      JsonProcessingException j = (JsonProcessingException) e;
      message = j.getOriginalMessage();
      if (j.getLocation() != null && j.getLocation().getLineNr() > 0) {
        at = location(j.getLocation());
      }
    }
    if (message != null && message.contains("exceeds the limit")) {
      // SnakeYAML's code point limit; read() checks the size first, so this is a backstop
      return Diagnostic.of(
          DiagnosticCode.YAML_TOO_LARGE, file, Optional.of(at), tooLarge("too large"));
    }
    if (message != null && message.startsWith("Expected a field name")) {
      message = "a mapping key must be plain text; a list, a mapping or an alias cannot be a key";
    }
    return Diagnostic.of(
        DiagnosticCode.YAML_SYNTAX, file, Optional.of(at), "malformed YAML: " + clean(message));
  }

  private Diagnostic marked(MarkedYAMLException m) {
    Mark problemMark = m.getProblemMark() != null ? m.getProblemMark() : m.getContextMark();
    SourceLocation at = problemMark != null ? location(problemMark) : last;
    String problem = clean(m.getProblem()).replaceAll(" got :$", " got ':'");
    String hint = "";
    if (problem.contains("\\t(TAB)") || problem.contains("'\\t'")) {
      problem = "a tab character cannot start a token";
      hint = "; indent YAML with spaces, never tabs";
    } else if (problem.contains("mapping values are not allowed")) {
      problem = "a ':' where no mapping can start";
      hint = "; check this line's indentation, or quote a value that contains \": \"";
    } else if (problem.contains("cannot start any token")) {
      // '@' and '`' are reserved indicators; SnakeYAML's "(Do not use @ for indentation)" misleads
      problem = problem.replaceAll("\\.?\\s*\\(Do not use .* for indentation\\)", "");
      hint = "; quote the value if the character belongs to it";
    } else if (m.getContext() != null && m.getContext().contains("flow sequence")) {
      hint = "; close the list with ']' (or quote a value that contains ',' or ']')";
    } else if (m.getContext() != null && m.getContext().contains("flow mapping")) {
      hint = "; close the mapping with '}' (or quote a value that contains ',' or '}')";
    } else if (m.getContext() != null && m.getContext().contains("quoted scalar")) {
      hint = "; close the quote";
    } else {
      hint = "; check the indentation and quotes around here";
    }
    String context = "";
    if (m.getContext() != null && m.getContextMark() != null) {
      Mark c = m.getContextMark();
      context =
          " ("
              + clean(m.getContext())
              + " that starts at line "
              + (c.getLine() + 1)
              + ", column "
              + (c.getColumn() + 1)
              + ")";
    }
    return Diagnostic.of(
        DiagnosticCode.YAML_SYNTAX,
        file,
        Optional.of(at),
        "malformed YAML: " + problem + context + hint);
  }

  private static String clean(String message) {
    if (message == null || message.isBlank()) {
      return "the YAML could not be read";
    }
    String m = message;
    int source = m.indexOf("\n at [Source");
    if (source >= 0) {
      m = m.substring(0, source);
    }
    // Jackson names the setting behind a limit: ", from `StreamReadConstraints.getMax...()`"
    m = m.replaceAll(",? ?from `[^`]*`", "");
    String stripped = CLASS_NAME.matcher(m).replaceAll("").replaceAll("\\s+", " ").trim();
    if (!stripped.equals(m.replaceAll("\\s+", " ").trim())) {
      // a class name was cut out: drop the punctuation that introduced it
      while (stripped.endsWith(":") || stripped.endsWith(",")) {
        stripped = stripped.substring(0, stripped.length() - 1).trim();
      }
    }
    m = stripped;
    return m.isEmpty() ? "the YAML could not be read" : m;
  }

  private SourceLocation atCodePoint(String text, int codePoint) {
    int line = 1;
    int column = 1;
    int seen = 0;
    for (int i = 0;
        i < text.length() && seen < codePoint;
        i += Character.charCount(text.codePointAt(i))) {
      if (text.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
      seen++;
    }
    return SourceLocation.of(file, line, column);
  }

  private SourceLocation location(JsonLocation l) {
    return SourceLocation.of(file, Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
  }

  private SourceLocation location(Mark m) {
    return SourceLocation.of(file, m.getLine() + 1, m.getColumn() + 1);
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

  /**
   * Jackson's YAML parser, plus the anchor of the current scalar: {@code getObjectId()} only
   * reports anchors of mappings and lists, and Jackson keeps the event it came from in {@code
   * _lastEvent} for subclasses.
   */
  private static final class LocatedParser extends YAMLParser {
    LocatedParser(
        IOContext context,
        int parserFeatures,
        int yamlFeatures,
        LoaderOptions options,
        ObjectCodec codec,
        Reader reader) {
      super(context, parserFeatures, yamlFeatures, options, codec, reader);
    }

    /** The anchor ({@code &name}) on the node the current token starts, if any. */
    String anchor() {
      return _lastEvent instanceof NodeEvent && !(_lastEvent instanceof AliasEvent)
          ? ((NodeEvent) _lastEvent).getAnchor()
          : null;
    }
  }

  /** A YAML factory with explicit limits, whose parsers are {@link LocatedParser}s. */
  private static final class LocatedFactory extends YAMLFactory {
    private static final long serialVersionUID = 1L;

    LocatedFactory() {
      super(limits());
    }

    private static YAMLFactoryBuilder limits() {
      LoaderOptions options = new LoaderOptions();
      options.setCodePointLimit(MAX_SIZE + 1);
      options.setNestingDepthLimit(MAX_DEPTH + 8);
      options.setAllowDuplicateKeys(false);
      options.setAllowRecursiveKeys(false);
      options.setProcessComments(false);
      YAMLFactoryBuilder b = YAMLFactory.builder();
      b.loaderOptions(options);
      // a plain empty value ("key:") is null; a quoted "" stays an empty string
      b.enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL);
      // duplicate keys are reported by this reader, with both locations, and reading goes on
      b.disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
      // the reader enforces MAX_DEPTH itself, with a location; Jackson's limit is a backstop
      b.streamReadConstraints(
          StreamReadConstraints.builder()
              .maxNestingDepth(MAX_DEPTH + 8)
              .maxDocumentLength(MAX_SIZE + 1L)
              .maxStringLength(MAX_SIZE + 1)
              .maxNameLength(MAX_SIZE + 1)
              .maxNumberLength(100)
              .build());
      return b;
    }

    LocatedParser open(Reader reader) throws IOException {
      return (LocatedParser) createParser(reader);
    }

    @Override
    protected YAMLParser _createParser(Reader reader, IOContext context) {
      return new LocatedParser(
          context, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec, reader);
    }
  }
}
