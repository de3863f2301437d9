package dev.lattice.benchmarks;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lattice.graph.Agreement;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.model.Declaration;
import dev.lattice.model.Direction;
import dev.lattice.model.PeerRef;
import dev.lattice.model.Port;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The neutral graph form that other tools can read too:
 *
 * <pre>{@code
 * {"services": [{"namespace": "shop", "name": "api", "ports": [8080]}],
 *  "edges":    [{"from": "shop/web", "to": "shop/api", "port": 8080}]}
 * }</pre>
 *
 * Every edge is a full agreement: the caller declares the callee outbound and the callee declares
 * the caller inbound, both on that port. Ports are TCP, named {@code tcp-<port>}, and services are
 * ambient with the default selector and service account.
 */
public final class GraphFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private GraphFile() {}

  /** A bad graph file: the message says where and what. */
  public static final class FormatException extends Exception {
    private static final long serialVersionUID = 1L;

    FormatException(String message) {
      super(message);
    }
  }

  /** The graph in {@code in}. */
  public static ServiceGraph read(Reader in) throws IOException, FormatException {
    JsonNode root;
    try {
      root = JSON.readTree(in);
    } catch (JsonProcessingException e) {
      throw new FormatException(
          "not JSON at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ": "
              + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new FormatException("expected an object with \"services\" and \"edges\"");
    }
    JsonNode services = array(root, "services");
    JsonNode edges = root.has("edges") ? array(root, "edges") : JSON.createArrayNode();

    Map<ServiceId, Entry> byId = new LinkedHashMap<>();
    for (int i = 0; i < services.size(); i++) {
      JsonNode s = services.get(i);
      String where = "services[" + i + "]";
      String ns = text(s, "namespace", where);
      String name = text(s, "name", where);
      ServiceId id = ServiceId.of(ns, name);
      TreeSet<Integer> ports = new TreeSet<>();
      JsonNode p = s.path("ports");
      if (!p.isMissingNode() && !p.isArray()) {
        throw new FormatException(where + ".ports must be a list of port numbers");
      }
      for (JsonNode n : p) {
        ports.add(port(n, where + ".ports"));
      }
      if (byId.put(id, new Entry(ns, name, ports)) != null) {
        throw new FormatException(where + ": " + id + " is listed twice");
      }
    }
    for (int i = 0; i < edges.size(); i++) {
      JsonNode e = edges.get(i);
      String where = "edges[" + i + "]";
      Entry from = service(byId, text(e, "from", where), where + ".from");
      Entry to = service(byId, text(e, "to", where), where + ".to");
      int port = port(e.get("port"), where + ".port");
      if (!to.ports.contains(port)) {
        throw new FormatException(
            where
                + ": "
                + to.ns
                + "/"
                + to.name
                + " has no port "
                + port
                + " (it has "
                + to.ports
                + ")");
      }
      from.out.computeIfAbsent(to, x -> new TreeSet<>()).add(port);
      to.in.computeIfAbsent(from, x -> new TreeSet<>()).add(port);
    }
    List<Service> out = new ArrayList<>(byId.size());
    for (Entry e : byId.values()) {
      Service.Builder b = Service.builder().namespace(e.ns).name(e.name);
      for (int p : e.ports) {
        b.addPorts(Port.builder().name(portName(p)).port(p).build());
      }
      e.out.forEach(
          (peer, ports) -> b.addDeclarations(declaration(e, peer, Direction.OUTBOUND, ports)));
      e.in.forEach(
          (peer, ports) -> b.addDeclarations(declaration(e, peer, Direction.INBOUND, ports)));
      out.add(b.build());
    }
    return ServiceGraph.of(out);
  }

  /**
   * Writes the agreements of {@code topology} in the neutral form: every service with its TCP
   * ports, and one edge per agreement and TCP port (wildcards expanded). HTTP rules, egress and
   * UDP/SCTP ports have no neutral form and are left out.
   */
  public static void write(Topology topology, OutputStream out) throws IOException {
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("services");
      for (Service s : topology.services()) {
        g.writeStartObject();
        g.writeStringField("namespace", s.namespace());
        g.writeStringField("name", s.name());
        g.writeArrayFieldStart("ports");
        for (Port p : s.ports()) {
          if (p.protocol().isMeshCaptured()) {
            g.writeNumber(p.port());
          }
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeRaw('\n');
      }
      g.writeEndArray();
      g.writeArrayFieldStart("edges");
      for (Agreement a : topology.agreements()) {
        for (Port p : a.ports()) {
          if (!a.isPeerTraffic() && p.protocol().isMeshCaptured()) {
            g.writeStartObject();
            g.writeStringField("from", a.caller().toString());
            g.writeStringField("to", a.callee().toString());
            g.writeNumberField("port", p.port());
            g.writeEndObject();
            g.writeRaw('\n');
          }
        }
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  static String portName(int port) {
    return "tcp-" + port;
  }

  private static Declaration declaration(
      Entry self, Entry peer, Direction direction, TreeSet<Integer> ports) {
    Declaration.Builder d =
        Declaration.builder()
            .peer(
                self.ns.equals(peer.ns) ? PeerRef.named(peer.name) : PeerRef.of(peer.ns, peer.name))
            .direction(direction);
    Entry callee = direction == Direction.OUTBOUND ? peer : self;
    if (!ports.equals(callee.ports)) {
      ports.forEach(p -> d.addPorts(portName(p)));
    }
    return d.build();
  }

  private static Entry service(Map<ServiceId, Entry> byId, String ref, String where)
      throws FormatException {
    int slash = ref.indexOf('/');
    if (slash <= 0 || slash == ref.length() - 1 || ref.indexOf('/', slash + 1) >= 0) {
      throw new FormatException(where + ": expected \"namespace/name\", got \"" + ref + "\"");
    }
    Entry e = byId.get(ServiceId.of(ref.substring(0, slash), ref.substring(slash + 1)));
    if (e == null) {
      throw new FormatException(where + ": " + ref + " is not in \"services\"");
    }
    return e;
  }

  private static JsonNode array(JsonNode root, String field) throws FormatException {
    JsonNode n = root.get(field);
    if (n == null || !n.isArray()) {
      throw new FormatException("\"" + field + "\" must be a list");
    }
    return n;
  }

  private static String text(JsonNode node, String field, String where) throws FormatException {
    JsonNode n = node.get(field);
    if (n == null || !n.isTextual() || n.asText().isEmpty()) {
      throw new FormatException(where + "." + field + " must be a non-empty string");
    }
    return n.asText();
  }

  private static int port(JsonNode n, String where) throws FormatException {
    if (n == null || !n.canConvertToInt() || !n.isIntegralNumber()) {
      throw new FormatException(where + " must be a port number");
    }
    int p = n.asInt();
    if (p < 1 || p > 65535) {
      throw new FormatException(where + " must be 1..65535, got " + p);
    }
    return p;
  }

  /** A service while its edges are collected. */
  private static final class Entry {
    final String ns;
    final String name;
    final TreeSet<Integer> ports;
    final Map<Entry, TreeSet<Integer>> out = new LinkedHashMap<>();
    final Map<Entry, TreeSet<Integer>> in = new LinkedHashMap<>();

    Entry(String ns, String name, TreeSet<Integer> ports) {
      this.ns = ns;
      this.name = name;
      this.ports = ports;
    }
  }
}
