package dev.lattice.cli;

import dev.lattice.graph.Agreement;
import dev.lattice.graph.Edge;
import dev.lattice.graph.Topology;
import dev.lattice.model.HttpRule;
import dev.lattice.model.Port;
import dev.lattice.model.Service;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Draws the declared graph as Mermaid or Graphviz DOT: agreed, one-sided and unknown edges. */
final class GraphFormat {
  private GraphFormat() {}

  static String mermaid(Topology t) {
    StringBuilder sb = new StringBuilder("flowchart LR\n");
    Map<String, List<Service>> byNamespace = new TreeMap<>();
    for (Service s : t.services()) {
      byNamespace.computeIfAbsent(s.namespace(), k -> new java.util.ArrayList<>()).add(s);
    }
    for (Map.Entry<String, List<Service>> e : byNamespace.entrySet()) {
      sb.append("  subgraph ")
          .append(id("ns-" + e.getKey()))
          .append("[\"")
          .append(e.getKey())
          .append("\"]\n");
      for (Service s : e.getValue()) {
        sb.append("    ")
            .append(id(s.id().toString()))
            .append("[\"")
            .append(s.name())
            .append(s.isAmbient() ? "" : " (no mesh)")
            .append("\"]\n");
      }
      sb.append("  end\n");
    }
    Map<String, Agreement> agreements = agreementsByEdge(t);
    for (String x : peersOutsideTheSpecs(t)) {
      sb.append("  ").append(id(x)).append("[\"").append(peerLabel(x, " ")).append("\"]\n");
    }
    for (Edge e : t.edges()) {
      String label = label(e, agreements.get(e.caller() + " " + e.callee()));
      String arrow =
          (e.status() == Edge.Status.AGREED ? " -->|\"" : " -.->|\"")
              + label.replace("\"", "#quot;")
              + "\"| ";
      sb.append("  ").append(id(e.caller())).append(arrow).append(id(e.callee())).append('\n');
    }
    return sb.toString();
  }

  static String dot(Topology t) {
    StringBuilder sb = new StringBuilder("digraph lattice {\n  rankdir=LR;\n  node [shape=box];\n");
    Map<String, List<Service>> byNamespace = new TreeMap<>();
    for (Service s : t.services()) {
      byNamespace.computeIfAbsent(s.namespace(), k -> new java.util.ArrayList<>()).add(s);
    }
    for (Map.Entry<String, List<Service>> e : byNamespace.entrySet()) {
      sb.append("  subgraph \"cluster_")
          .append(e.getKey())
          .append("\" {\n    label=\"")
          .append(e.getKey())
          .append("\";\n");
      for (Service s : e.getValue()) {
        sb.append("    \"")
            .append(s.id())
            .append("\" [label=\"")
            .append(s.name())
            .append(s.isAmbient() ? "" : "\\n(no mesh)")
            .append("\"];\n");
      }
      sb.append("  }\n");
    }
    for (String x : peersOutsideTheSpecs(t)) {
      sb.append("  \"")
          .append(x)
          .append("\" [label=\"")
          .append(peerLabel(x, "\\n"))
          .append(x.equals("*") ? "\", style=dotted];\n" : "\", style=dashed, color=red];\n");
    }
    Map<String, Agreement> agreements = agreementsByEdge(t);
    for (Edge e : t.edges()) {
      String style =
          e.status() == Edge.Status.AGREED
              ? "solid"
              : e.status() == Edge.Status.WILDCARD ? "dotted" : "dashed";
      String color =
          e.status() == Edge.Status.AGREED || e.status() == Edge.Status.WILDCARD ? "black" : "red";
      sb.append("  \"")
          .append(e.caller())
          .append("\" -> \"")
          .append(e.callee())
          .append("\" [label=\"")
          .append(label(e, agreements.get(e.caller() + " " + e.callee())).replace("\"", "\\\""))
          .append("\", style=")
          .append(style)
          .append(", color=")
          .append(color)
          .append("];\n");
    }
    return sb.append("}\n").toString();
  }

  /**
   * The ends of declared edges that are not services of the specs: {@code *} (any service) and
   * names no spec declares, sorted.
   */
  private static TreeSet<String> peersOutsideTheSpecs(Topology t) {
    Set<String> services = new HashSet<>();
    for (Service s : t.services()) {
      services.add(s.id().toString());
    }
    TreeSet<String> extra = new TreeSet<>();
    for (Edge e : t.edges()) {
      for (String end : List.of(e.caller(), e.callee())) {
        if (!services.contains(end)) {
          extra.add(end);
        }
      }
    }
    return extra;
  }

  /** What a peer outside the specs is: any service, or a name no spec declares. */
  private static String peerLabel(String peer, String lineBreak) {
    return peer.equals("*") ? "any service" : peer + lineBreak + "(unknown)";
  }

  private static Map<String, Agreement> agreementsByEdge(Topology t) {
    Map<String, Agreement> m = new HashMap<>();
    for (Agreement a : t.agreements()) {
      m.put(a.caller() + " " + a.callee(), a);
    }
    return m;
  }

  private static String label(Edge e, Agreement a) {
    switch (e.status()) {
      case AGREED:
        {
          String ports =
              a == null ? "" : a.ports().stream().map(Port::name).collect(Collectors.joining(","));
          String rules =
              e.httpRules().isEmpty()
                  ? ""
                  : " "
                      + e.httpRules().stream()
                          .map(HttpRule::toString)
                          .collect(Collectors.joining("; "));
          return ports + rules;
        }
      case ONE_SIDED:
        return "one-sided";
      case UNKNOWN_PEER:
        return "unknown peer";
      default:
        return "wildcard";
    }
  }

  /** A Mermaid node id: letters and digits kept, anything else escaped, so ids never collide. */
  private static String id(String s) {
    StringBuilder sb = new StringBuilder("n_");
    for (char c : s.toCharArray()) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        sb.append(c);
      } else {
        sb.append('_').append(Integer.toHexString(c)).append('_');
      }
    }
    return sb.toString();
  }
}
