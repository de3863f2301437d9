package dev.lattice.verify.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.verify.Decision;
import dev.lattice.verify.Layer;
import dev.lattice.verify.LayerVerdict;
import dev.lattice.verify.diff.Declared;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link ReplayResult} written for people ({@link #text()}) or for tools ({@link #json()}).
 *
 * <p>The JSON is {@code {"summary": {...}, "skipped": {...}, "dropped": [...], "undeclared": [...],
 * "unused": [...], "outside": [...]}}; each item has {@code from}, {@code to}, {@code port} (the
 * port the flows show: the pods' port), {@code protocol}, {@code servicePort} and {@code portName}
 * when the port maps to one, {@code flows} and {@code firstLine}, and where the policies were asked
 * {@code layers} (those that deny) with each layer's {@code decision} and {@code reason}; {@code
 * declarations} and {@code suggestions} (YAML per service) where they apply.
 */
public final class ReplayReport {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final ReplayResult result;

  private ReplayReport(ReplayResult result) {
    this.result = result;
  }

  /** A report of {@code result}. */
  public static ReplayReport of(ReplayResult result) {
    return new ReplayReport(Objects.requireNonNull(result, "result"));
  }

  // ------------------------------------------------------------------ text

  /** Plain text: what was read and skipped, then each list. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    sb.append("replayed ")
        .append(result.source())
        .append(": ")
        .append(count(result.lines()))
        .append(" lines, ")
        .append(count(result.flows()))
        .append(" flows, ")
        .append(count(result.attempts()))
        .append(" connection attempts (ports are the pods' ports, as the flows show them)\n");
    if (!result.skipped().isEmpty()) {
      sb.append("stepped over:\n");
      result
          .skipped()
          .forEach(
              (why, n) -> sb.append("  ").append(count(n)).append(' ').append(why).append('\n'));
    }
    sb.append(result.allowed().size()).append(" observed connections are allowed by both layers\n");
    list(sb, "dropped", "observed, and the rendered policies would deny them", result.dropped());
    list(
        sb,
        "undeclared",
        "observed between services where neither declares the other",
        result.undeclared());
    unused(sb);
    list(
        sb,
        "outside the graph",
        "observed with an end no declared service selects; reported, not judged",
        result.outside());
    if (result.dropped().isEmpty() && result.undeclared().isEmpty()) {
      sb.append("\nnothing observed would be dropped\n");
    }
    return sb.toString();
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static void list(StringBuilder sb, String title, String what, List<Observation> items) {
    if (items.isEmpty()) {
      return;
    }
    sb.append('\n').append(title).append(" (").append(items.size()).append("): ").append(what);
    sb.append('\n');
    Set<String> printed = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      Observation o = items.get(i);
      sb.append("  ").append(headline(o)).append('\n');
      o.verdict()
          .ifPresent(
              v -> {
                for (Layer l : Layer.values()) {
                  LayerVerdict lv = v.layer(l);
                  sb.append("    ")
                      .append(pad(name(l), 7))
                      .append(decision(lv.decision()))
                      .append(": ")
                      .append(lv.reason().replace('\n', ' '))
                      .append('\n');
                }
              });
      o.reason().ifPresent(r -> sb.append("    why: ").append(r).append('\n'));
      for (Declared d : o.declarations()) {
        sb.append("    declared: ").append(d).append('\n');
      }
      for (Map.Entry<String, String> s : o.suggestions().entrySet()) {
        // the same declarations serve every port of a pair: once is enough
        if (printed.add(o.from() + "|" + o.to() + "|" + s.getKey() + "|" + s.getValue())) {
          sb.append("    ").append(s.getValue().strip().replace("\n", "\n    ")).append('\n');
        }
      }
    }
  }

  private void unused(StringBuilder sb) {
    List<Observation> items = result.unused();
    if (items.isEmpty()) {
      return;
    }
    sb.append("\nunused (")
        .append(items.size())
        .append("): agreed or declared, and no observed flow used it\n");
    for (Observation o : items) {
      sb.append("  ").append(headline(o));
      o.reason().ifPresent(r -> sb.append(" (").append(r).append(')'));
      List<String> at = new ArrayList<>();
      for (Declared d : o.declarations()) {
        d.location().ifPresent(l -> at.add(l.toString()));
      }
      if (!at.isEmpty()) {
        sb.append("  [").append(String.join(", ", at)).append(']');
      }
      sb.append('\n');
    }
  }

  /** {@code a -> b 8080/TCP (Service port 80 http) GET /x: 12 flows from line 3 [FORWARDED 12]}. */
  static String headline(Observation o) {
    StringBuilder sb = new StringBuilder();
    sb.append(o.from()).append(" -> ").append(o.to()).append(' ');
    sb.append(o.port() == 0 ? "any port" : String.valueOf(o.port()))
        .append('/')
        .append(o.protocol());
    if (o.servicePort().isPresent()) {
      sb.append(" (");
      if (o.servicePort().getAsInt() != o.port()) {
        sb.append("Service port ").append(o.servicePort().getAsInt()).append(' ');
      }
      sb.append(o.portName().orElse("")).append(')');
    }
    if (o.hbone()) {
      sb.append(" (HBONE)");
    }
    o.method().ifPresent(m -> sb.append(' ').append(m).append(' ').append(o.path().orElse("")));
    if (o.flows() > 0) {
      sb.append(": ")
          .append(count(o.flows()))
          .append(o.flows() == 1 ? " flow" : " flows")
          .append(" from line ")
          .append(o.firstLine())
          .append(' ')
          .append(o.observed().toString().replace('=', ' ').replace("{", "[").replace("}", "]"));
    }
    return sb.toString();
  }

  private static String name(Layer l) {
    return l.name().toLowerCase(Locale.ROOT);
  }

  private static String decision(Decision d) {
    return d == Decision.N_A ? "n/a" : d.name().toLowerCase(Locale.ROOT);
  }

  private static String pad(String s, int w) {
    return s.length() >= w ? s : s + " ".repeat(w - s.length());
  }

  // ------------------------------------------------------------------ json

  /** JSON with the keys {@code summary}, {@code skipped} and the four lists. */
  public String json() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode s = root.putObject("summary");
    s.put("source", result.source());
    s.put("lines", result.lines());
    s.put("flows", result.flows());
    s.put("attempts", result.attempts());
    s.put("allowed", result.allowed().size());
    s.put("dropped", result.dropped().size());
    s.put("undeclared", result.undeclared().size());
    s.put("unused", result.unused().size());
    s.put("outside", result.outside().size());
    s.put(
        "port",
        "the port the flows show: the pods' port (servicePort: the Service port it maps to)");
    ObjectNode skipped = root.putObject("skipped");
    result.skipped().forEach(skipped::put);
    items(root.putArray("dropped"), result.dropped());
    items(root.putArray("undeclared"), result.undeclared());
    items(root.putArray("unused"), result.unused());
    items(root.putArray("outside"), result.outside());
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void items(ArrayNode out, List<Observation> list) {
    for (Observation o : list) {
      ObjectNode j = out.addObject();
      j.put("kind", o.kind().name().toLowerCase(Locale.ROOT));
      j.put("from", o.from());
      j.put("to", o.to());
      j.put("port", o.port());
      j.put("protocol", o.protocol());
      if (o.servicePort().isPresent()) {
        j.put("servicePort", o.servicePort().getAsInt());
      }
      o.portName().ifPresent(n -> j.put("portName", n));
      o.method().ifPresent(m -> j.put("method", m));
      o.path().ifPresent(p -> j.put("path", p));
      if (o.hbone()) {
        j.put("hbone", true);
      }
      if (o.flows() > 0) {
        j.put("flows", o.flows());
        j.put("firstLine", o.firstLine());
        ObjectNode obs = j.putObject("observed");
        o.observed().forEach(obs::put);
      }
      o.verdict()
          .ifPresent(
              v -> {
                ArrayNode layers = j.putArray("layers");
                o.denyingLayers().forEach(l -> layers.add(name(l)));
                for (Layer l : Layer.values()) {
                  ObjectNode lo = j.putObject(name(l));
                  lo.put("decision", decision(v.layer(l).decision()));
                  lo.put("reason", v.layer(l).reason());
                }
              });
      o.reason().ifPresent(r -> j.put("reason", r));
      if (!o.declarations().isEmpty()) {
        ArrayNode d = j.putArray("declarations");
        for (Declared x : o.declarations()) {
          ObjectNode dn = d.addObject();
          dn.put("service", x.service().toString());
          dn.put("declares", x.statement());
          x.location().ifPresent(l -> dn.put("at", l.toString()));
        }
      }
      if (!o.suggestions().isEmpty()) {
        ObjectNode sg = j.putObject("suggestions");
        o.suggestions().forEach(sg::put);
      }
    }
  }

  @Override
  public String toString() {
    return "ReplayReport(" + result + ")";
  }
}
