package dev.lattice.verify.replay;

import dev.lattice.model.Declaration;
import dev.lattice.model.Egress;
import dev.lattice.model.Port;
import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import dev.lattice.model.SourceLocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The YAML a service would add to declare what was observed, in the form of the kind that declares
 * it: a {@code LatticeService} resource under {@code spec.workload.resources}, or an entry of a
 * {@code LatticeMeshMember}'s {@code dependencies} / {@code allowedCallers}. The kind is read from
 * the service's own document when its spec file can be read; otherwise {@code LatticeService}.
 */
final class Suggestions {
  private static final Pattern KIND = Pattern.compile("^kind:\\s*([A-Za-z]+)\\s*(#.*)?$");
  private static final int MAX_FILE = 4 << 20;

  private final Map<String, List<String>> files = new HashMap<>();

  /** Whether {@code s} was declared by a {@code LatticeMeshMember}. */
  boolean isMeshMember(Service s) {
    return kind(s).equals("LatticeMeshMember");
  }

  /** Where a {@code LatticeService}-shaped resource of {@code s} goes. */
  private String resources(Service s) {
    String kind = kind(s);
    if (kind.equals("LatticeJob") || kind.equals("LatticeModel")) {
      return "under the resources of its workload (the " + kind + "'s task or role)";
    }
    return "under spec.workload.resources";
  }

  /** The kind of the document that declares {@code s}, or empty when it cannot be read. */
  String kind(Service s) {
    if (s.source().isEmpty()) {
      return "";
    }
    SourceLocation at = s.source().get();
    List<String> lines = files.computeIfAbsent(at.file(), Suggestions::read);
    int line = Math.min(at.line(), lines.size()) - 1;
    if (line < 0) {
      return "";
    }
    int start = line;
    while (start > 0 && !lines.get(start).trim().equals("---")) {
      start--;
    }
    for (int i = start; i < lines.size(); i++) {
      if (i > line && lines.get(i).trim().equals("---")) {
        break;
      }
      Matcher m = KIND.matcher(lines.get(i));
      if (m.matches()) {
        return m.group(1);
      }
    }
    return "";
  }

  private static List<String> read(String file) {
    try {
      Path p = Path.of(file);
      if (!Files.isRegularFile(p) || Files.size(p) > MAX_FILE) {
        return List.of();
      }
      return Files.readAllLines(p, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  private static String where(Service s) {
    return s.id() + s.source().map(l -> " (" + l + ")").orElse("");
  }

  /** What {@code caller} adds to call {@code callee} on {@code ports} (empty: all). */
  String outbound(Service caller, Service callee, Set<String> ports) {
    if (isMeshMember(caller)) {
      return "# add to "
          + where(caller)
          + ", under spec.dependencies:\n"
          + "- name: "
          + callee.name()
          + "\n  namespace: "
          + callee.namespace()
          + "\n";
    }
    StringBuilder sb = new StringBuilder();
    sb.append("# add to ").append(where(caller)).append(", ").append(resources(caller));
    sb.append(":\n");
    resource(sb, caller, callee, null, ports);
    return sb.toString();
  }

  /** What {@code callee} adds to admit {@code caller} on its {@code ports} (empty: all). */
  String inbound(Service callee, Service caller, Set<String> ports) {
    if (isMeshMember(callee)) {
      return "# add to "
          + where(callee)
          + ", under spec.allowedCallers:\n"
          + "- name: "
          + caller.name()
          + "\n  namespace: "
          + caller.namespace()
          + "\n";
    }
    StringBuilder sb = new StringBuilder();
    sb.append("# add to ").append(where(callee)).append(", ").append(resources(callee));
    sb.append(":\n");
    resource(sb, callee, caller, "inbound", ports);
    return sb.toString();
  }

  private static void resource(
      StringBuilder sb, Service declarer, Service peer, String direction, Set<String> ports) {
    boolean clash = false;
    for (Declaration d : declarer.declarations()) {
      if (!d.peer().isWildcard()
          && d.peer().name().equals(peer.name())
          && !d.peer().resolve(declarer.namespace()).equals(peer.id())) {
        clash = true;
      }
    }
    String key = clash ? peer.name() + "-" + peer.namespace() : peer.name();
    sb.append(key).append(":\n");
    if (clash) {
      sb.append("  id: ").append(peer.name()).append('\n');
    }
    if (!peer.namespace().equals(declarer.namespace())) {
      sb.append("  namespace: ").append(peer.namespace()).append('\n');
    }
    if (direction != null) {
      sb.append("  direction: ").append(direction).append('\n');
    }
    if (ports.isEmpty()) {
      sb.append("  # every port: the flows were HBONE (15008), which hides the application port\n");
    } else {
      sb.append("  params:\n    ports: [").append(String.join(", ", ports)).append("]\n");
    }
  }

  /** What {@code s} adds so its own pods may call each other. */
  String peerTraffic(Service s) {
    return "# add to " + where(s) + ", under spec:\nallowPeerTraffic: true\n";
  }

  /** What {@code s} adds so {@code source} (world, a CIDR, kube-apiserver) may reach {@code p}. */
  String exposure(Service s, Port p, String source) {
    boolean meshTcp = s.isAmbient() && p.protocol() == Protocol.TCP;
    if (isMeshMember(s)) {
      return "# on the port named "
          + p.name()
          + " of "
          + where(s)
          + " (spec.ports):\nexposedTo: ["
          + source
          + "]\n"
          + (meshTcp ? "peerAuth: PERMISSIVE   # outside clients have no mesh identity\n" : "");
    }
    return "# add to "
        + where(s)
        + ", under spec.workload.service.ports:\n"
        + p.name()
        + ":\n  exposedTo: ["
        + source
        + "]\n"
        + (meshTcp ? "  peerAuth: PERMISSIVE   # outside clients have no mesh identity\n" : "");
  }

  /**
   * What {@code s} adds to reach {@code target} ({@code api.stripe.com}, an address, or an entity
   * name, by {@code kind}) on {@code port}.
   */
  String egress(Service s, Egress.Kind kind, String target, int port, Protocol protocol) {
    String k = kind.name().toLowerCase(Locale.ROOT);
    if (isMeshMember(s)) {
      return "# add to "
          + where(s)
          + ", under spec.egress:\n- target: {"
          + k
          + ": "
          + target
          + "}\n  ports: ["
          + port
          + "]\n"
          + (protocol == Protocol.TCP ? "" : "  protocol: " + protocol + "\n");
    }
    String key =
        (kind == Egress.Kind.ENTITY ? target : target.replace('*', 'x'))
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]+", "-")
            .replaceAll("^-+|-+$", "");
    key = key.isEmpty() ? "external" : key;
    StringBuilder sb = new StringBuilder();
    sb.append("# add to ").append(where(s)).append(", ").append(resources(s)).append(":\n");
    sb.append(key).append(":\n  type: external-service\n");
    if (kind == Egress.Kind.ENTITY) {
      sb.append("  id: \"entity:").append(target).append(':').append(port).append("\"\n");
      return sb.toString();
    }
    String host = target.indexOf(':') >= 0 ? "[" + target + "]" : target;
    String endpoint = (protocol == Protocol.UDP ? "udp://" : "") + host + ":" + port;
    sb.append("  params:\n    endpoints:\n      ")
        .append(kind == Egress.Kind.FQDN ? "api" : "address")
        .append(": \"")
        .append(endpoint)
        .append("\"\n");
    if (kind == Egress.Kind.CIDR) {
      sb.append("  # an address without a DNS name in the flows: prefer the name if it has one\n");
    }
    return sb.toString();
  }
}
