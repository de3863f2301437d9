package dev.lattice.verify.diff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.model.SourceLocation;
import dev.lattice.verify.Decision;
import dev.lattice.verify.Layer;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A {@link ConnectivityDiff} written for people ({@link #text()}), for a pull-request comment
 * ({@link #markdown()}) or for tools ({@link #json()}).
 *
 * <pre>{@code
 * String comment = DiffReport.of(diff).markdown();
 * String json = DiffReport.of(diff).locations(l -> "main:" + l).json();
 * }</pre>
 *
 * <p>The JSON is {@code {"summary": {...}, "opened": [...], "closed": [...], "changed": [...]}};
 * each item has {@code kind}, {@code from}, {@code to}, {@code port} (the Service port for service
 * destinations, with {@code targetPort}, the pods' port; the port dialled for egress), {@code
 * protocol}, {@code layers} (the layers that open, close or change it), per layer {@code before},
 * {@code after} and {@code reason}, {@code connection} before and after, and {@code declarations}
 * before and after. Output is deterministic.
 */
public final class DiffReport {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final ConnectivityDiff diff;
  private final Function<SourceLocation, String> locations;

  private DiffReport(ConnectivityDiff diff, Function<SourceLocation, String> locations) {
    this.diff = diff;
    this.locations = locations;
  }

  /** A report of {@code diff}, locations written {@code file:line:col}. */
  public static DiffReport of(ConnectivityDiff diff) {
    return new DiffReport(Objects.requireNonNull(diff, "diff"), SourceLocation::toString);
  }

  /**
   * This report writing source locations with {@code label} (e.g. to name a git revision instead of
   * the temporary directory it was checked out to).
   */
  public DiffReport locations(Function<SourceLocation, String> label) {
    return new DiffReport(diff, Objects.requireNonNull(label, "label"));
  }

  // ------------------------------------------------------------------ text

  /** Plain text: a summary line, then each list with each layer's decisions and reasons. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    sb.append(summary()).append('\n');
    if (diff.isEmpty()) {
      sb.append(
          "no change: both layers judge every connection, request, egress and exposure the same\n");
      return sb.toString();
    }
    section(sb, "opened", diff.opened(), Change::openedLayers);
    section(sb, "closed", diff.closed(), Change::closedLayers);
    section(
        sb,
        "changed (an enforcement point appears or disappears)",
        diff.changed(),
        Change::changedLayers);
    return sb.toString();
  }

  private String summary() {
    return diff.opened().size()
        + " opened, "
        + diff.closed().size()
        + " closed, "
        + diff.changed().size()
        + " changed (each layer judged alone from the rendered documents; ports are Service"
        + " ports)";
  }

  private void section(
      StringBuilder sb, String title, List<Change> changes, Function<Change, Set<Layer>> layers) {
    if (changes.isEmpty()) {
      return;
    }
    sb.append('\n').append(title).append(" (").append(changes.size()).append("):\n");
    for (Change c : changes) {
      sb.append("  ").append(headline(c)).append('\n');
      Set<Layer> moved = layers.apply(c);
      for (Layer l : Layer.values()) {
        sb.append("    ")
            .append(pad(name(l), 7))
            .append(transition(c, l, false))
            .append(moved.contains(l) ? "  " + reason(c, l) : "")
            .append('\n');
      }
      boolean same = sameWords(c.declaredBefore(), c.declaredAfter());
      if (!same) {
        declarations(sb, "declared before", c.declaredBefore());
      }
      declarations(sb, same ? "declared" : "declared after", c.declaredAfter());
    }
  }

  /** Whether two lists say the same, wherever they are written (the two sides' files differ). */
  static boolean sameWords(List<Declared> a, List<Declared> b) {
    return words(a).equals(words(b));
  }

  private static List<String> words(List<Declared> list) {
    return list.stream().map(d -> d.service() + ": " + d.statement()).sorted().toList();
  }

  private void declarations(StringBuilder sb, String what, List<Declared> list) {
    sb.append("    ").append(what).append(": ");
    if (list.isEmpty()) {
      sb.append("nothing\n");
      return;
    }
    String indent = " ".repeat(6 + what.length());
    for (int i = 0; i < list.size(); i++) {
      sb.append(i == 0 ? "" : indent).append(declared(list.get(i))).append('\n');
    }
  }

  private String declared(Declared d) {
    return d.service()
        + ": "
        + d.statement()
        + d.location().map(l -> " (" + locations.apply(l) + ")").orElse("");
  }

  /** {@code storefront/web -> storefront/api 80/TCP (http, target port 8080) GET /x}. */
  static String headline(Change c) {
    StringBuilder sb = new StringBuilder();
    sb.append(c.from()).append(" -> ").append(c.to()).append(' ').append(port(c));
    if (c.kind() == Change.Kind.REQUEST) {
      sb.append(' ')
          .append(c.method().orElseThrow())
          .append(' ')
          .append(c.path().orElseThrow())
          .append(" [")
          .append(c.requestRule().orElseThrow())
          .append(']');
    }
    return sb.toString();
  }

  private static String port(Change c) {
    StringBuilder sb = new StringBuilder().append(c.port()).append('/').append(c.protocol());
    if (c.portName().isPresent()) {
      sb.append(" (").append(c.portName().get());
      if (c.targetPort().isPresent() && c.targetPort().getAsInt() != c.port()) {
        sb.append(", target port ").append(c.targetPort().getAsInt());
      }
      sb.append(')');
    }
    return sb.toString();
  }

  private static String name(Layer l) {
    return l.name().toLowerCase(Locale.ROOT);
  }

  /** {@code deny -> allow}, or {@code allow (unchanged)}. */
  private static String transition(Change c, Layer l, boolean bold) {
    String b = decision(c.before(l));
    String a = decision(c.after(l));
    if (b.equals(a)) {
      return a + " (unchanged)";
    }
    return b + (bold ? " → **" + a + "**" : " -> " + a);
  }

  static String decision(Optional<Decision> d) {
    return d.map(x -> x == Decision.N_A ? "n/a" : x.name().toLowerCase(Locale.ROOT))
        .orElse("absent");
  }

  /** The reason the newer side gives (the older one's when the connection no longer exists). */
  static String reason(Change c, Layer l) {
    if (c.after().isPresent()) {
      return c.after().get().layer(l).reason();
    }
    return "the connection no longer exists (a service or port was removed); it was: "
        + c.before().orElseThrow().layer(l).reason();
  }

  private static String pad(String s, int w) {
    return s.length() >= w ? s : s + " ".repeat(w - s.length());
  }

  // ------------------------------------------------------------------ markdown

  /**
   * Markdown for a pull-request comment: a table per list (connection, each layer's decisions, the
   * declarations), and the layers' reasons in a collapsed section.
   */
  public String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("### Lattice: ")
        .append(diff.opened().size())
        .append(" opened, ")
        .append(diff.closed().size())
        .append(" closed");
    if (!diff.changed().isEmpty()) {
      sb.append(", ").append(diff.changed().size()).append(" changed");
    }
    sb.append("\n\n");
    if (diff.isEmpty()) {
      sb.append(
          "No change: Cilium and Istio judge every connection, request, egress and exposure the"
              + " same before and after.\n");
      return sb.toString();
    }
    sb.append(
        "Each layer is judged alone from the rendered policies (Cilium L4, Istio ztunnel and"
            + " waypoints); ports are Service ports.\n");
    table(sb, "Opened", diff.opened(), Change::openedLayers);
    table(sb, "Closed", diff.closed(), Change::closedLayers);
    table(
        sb,
        "Changed (an enforcement point appears or disappears; traffic passes either way)",
        diff.changed(),
        Change::changedLayers);
    sb.append("\n<details><summary>Why, layer by layer</summary>\n\n");
    for (Change c : diff.changes()) {
      sb.append("- `").append(md(headline(c))).append("`\n");
      for (Layer l : Layer.values()) {
        if (!c.before(l).equals(c.after(l))) {
          sb.append("  - ")
              .append(l == Layer.CILIUM ? "Cilium" : "Istio")
              .append(" ")
              .append(transition(c, l, false))
              .append(": ")
              .append(md(reason(c, l).replace('\n', ' ')))
              .append('\n');
        }
      }
    }
    sb.append("\n</details>\n");
    return sb.toString();
  }

  private void table(
      StringBuilder sb, String title, List<Change> changes, Function<Change, Set<Layer>> layers) {
    if (changes.isEmpty()) {
      return;
    }
    sb.append("\n**").append(title).append("**\n\n");
    sb.append("| from | to | port | request | Cilium (L4) | Istio | declared |\n");
    sb.append("| --- | --- | --- | --- | --- | --- | --- |\n");
    for (Change c : changes) {
      Set<Layer> moved = layers.apply(c);
      sb.append("| `")
          .append(md(c.from()))
          .append("` | `")
          .append(md(c.to()))
          .append("` | ")
          .append(md(port(c)))
          .append(" | ")
          .append(
              c.kind() == Change.Kind.REQUEST
                  ? "`" + md(c.method().orElseThrow() + " " + c.path().orElseThrow()) + "`"
                  : "")
          .append(" | ")
          .append(cell(c, Layer.CILIUM, moved))
          .append(" | ")
          .append(cell(c, Layer.ISTIO, moved))
          .append(" | ")
          .append(declaredCell(c))
          .append(" |\n");
    }
  }

  private static String cell(Change c, Layer l, Set<Layer> moved) {
    String t = transition(c, l, moved.contains(l));
    return md(t);
  }

  private String declaredCell(Change c) {
    StringBuilder sb = new StringBuilder();
    if (!sameWords(c.declaredBefore(), c.declaredAfter())) {
      sb.append("was: ").append(list(c.declaredBefore())).append("<br>now: ");
    }
    sb.append(list(c.declaredAfter()));
    return sb.toString();
  }

  private String list(List<Declared> list) {
    if (list.isEmpty()) {
      return "nothing";
    }
    StringBuilder sb = new StringBuilder();
    for (Declared d : list) {
      if (sb.length() > 0) {
        sb.append("<br>");
      }
      sb.append('`').append(md(d.service() + ": " + d.statement())).append('`');
      d.location().ifPresent(l -> sb.append(" ").append(md(locations.apply(l))));
    }
    return sb.toString();
  }

  /** Escapes what would break a table cell. */
  private static String md(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }

  // ------------------------------------------------------------------ json

  /** JSON with the keys {@code summary}, {@code opened}, {@code closed}, {@code changed}. */
  public String json() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    ObjectNode summary = root.putObject("summary");
    summary.put("opened", diff.opened().size());
    summary.put("closed", diff.closed().size());
    summary.put("changed", diff.changed().size());
    summary.put(
        "port",
        "the Service port clients dial (targetPort: the pods' port); for egress"
            + " the port dialled");
    items(root.putArray("opened"), diff.opened(), Change::openedLayers);
    items(root.putArray("closed"), diff.closed(), Change::closedLayers);
    items(root.putArray("changed"), diff.changed(), Change::changedLayers);
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void items(ArrayNode out, List<Change> changes, Function<Change, Set<Layer>> layers) {
    for (Change c : changes) {
      ObjectNode o = out.addObject();
      o.put("kind", c.kind().name().toLowerCase(Locale.ROOT));
      o.put("from", c.from());
      o.put("to", c.to());
      o.put("port", c.port());
      c.portName().ifPresent(n -> o.put("portName", n));
      if (c.targetPort().isPresent()) {
        o.put("targetPort", c.targetPort().getAsInt());
      }
      o.put("protocol", c.protocol().name());
      c.method().ifPresent(m -> o.put("method", m));
      c.path().ifPresent(p -> o.put("path", p));
      c.requestRule().ifPresent(r -> o.put("request", r));
      ArrayNode ls = o.putArray("layers");
      layers.apply(c).forEach(l -> ls.add(name(l)));
      for (Layer l : Layer.values()) {
        ObjectNode lo = o.putObject(name(l));
        lo.put("before", decision(c.before(l)));
        lo.put("after", decision(c.after(l)));
        lo.put("reason", reason(c, l));
      }
      ObjectNode conn = o.putObject("connection");
      conn.put(
          "before", c.allowedBefore() ? "allowed" : c.before().isPresent() ? "denied" : "absent");
      conn.put("after", c.allowedAfter() ? "allowed" : c.after().isPresent() ? "denied" : "absent");
      ObjectNode decl = o.putObject("declarations");
      declaredJson(decl.putArray("before"), c.declaredBefore());
      declaredJson(decl.putArray("after"), c.declaredAfter());
    }
  }

  private void declaredJson(ArrayNode out, List<Declared> list) {
    for (Declared d : list) {
      ObjectNode o = out.addObject();
      o.put("service", d.service().toString());
      o.put("declares", d.statement());
      d.location().ifPresent(l -> o.put("at", locations.apply(l)));
    }
  }

  @Override
  public String toString() {
    return "DiffReport(" + diff + ")";
  }
}
