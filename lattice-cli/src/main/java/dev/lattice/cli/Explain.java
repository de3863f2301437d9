package dev.lattice.cli;

import dev.lattice.graph.Topology;
import dev.lattice.model.Port;
import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.output.Manifest;
import dev.lattice.verify.Destination;
import dev.lattice.verify.Query;
import dev.lattice.verify.Source;
import dev.lattice.verify.Verdict;
import dev.lattice.verify.Verifier;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code lattice explain}: renders both layers, judges one connection against each with the
 * independent evaluators of lattice-verify, and prints the verdicts with the policy and rule
 * responsible.
 */
final class Explain {
  private Explain() {}

  static int run(List<String> argv, PrintStream out, PrintStream err) throws UsageException {
    Set<String> valued = new HashSet<>(SettingsFlags.VALUED);
    valued.addAll(List.of("--from", "--to", "--port", "--method", "--path"));
    Args args = Args.parse(argv, valued, SettingsFlags.FLAGS, "explain");
    if (!args.has("--from") || !args.has("--to")) {
      throw new UsageException(
          "explain needs --from and --to (e.g. --from shop/web --to shop/api)");
    }
    if (args.has("--method") != args.has("--path")) {
      throw new UsageException("--method and --path go together: give both or neither");
    }
    Topology topology = Main.load(args, SettingsFlags.from(args), err, false);
    if (topology == null) {
      return Main.SPEC_ERRORS;
    }
    Source source = source(args.get("--from"), topology);
    ServiceId to = serviceId(args.get("--to"), "--to");
    Service callee =
        topology
            .service(to)
            .orElseThrow(
                () -> new UsageException("--to " + to + " is not a service of these specs"));
    List<Port> ports = new ArrayList<>();
    if (args.has("--port")) {
      String p = args.get("--port");
      for (Port port : callee.ports()) {
        if (port.name().equals(p) || String.valueOf(port.port()).equals(p)) {
          ports.add(port);
        }
      }
      if (ports.isEmpty()) {
        throw new UsageException(
            to
                + " has no port "
                + p
                + " (its ports: "
                + callee.ports().stream().map(x -> x.name() + " " + x.port()).toList()
                + ")");
      }
    } else {
      ports.addAll(callee.ports());
      if (ports.isEmpty()) {
        throw new UsageException(to + " declares no ports: nothing can reach it");
      }
    }
    Manifest cilium = Layers.cilium(topology);
    Manifest istio = Layers.istio(topology);
    Verifier verifier = Verifier.of(topology, cilium, istio);
    boolean first = true;
    for (Port port : ports) {
      Query q = Query.of(source, Destination.service(to, port.port()));
      if (port.protocol() != Protocol.TCP) {
        q = q.protocol(port.protocol());
      }
      if (args.has("--method")) {
        q = q.request(args.get("--method"), args.get("--path"));
      }
      Verdict v = verifier.check(q);
      if (!first) {
        out.println();
      }
      first = false;
      out.print(v.explain());
      if (!v.explain().endsWith("\n")) {
        out.println();
      }
    }
    out.flush();
    return Main.OK;
  }

  private static Source source(String from, Topology topology) throws UsageException {
    switch (from) {
      case "world":
        return Source.world();
      case "kube-apiserver":
        return Source.kubeApiserver();
      case "host":
        return Source.host();
      case "remote-node":
        return Source.remoteNode();
      default:
        if (from.indexOf('/') < 0 && (from.indexOf('.') > 0 || from.indexOf(':') >= 0)) {
          try {
            return Source.address(from);
          } catch (IllegalArgumentException e) {
            throw new UsageException("--from " + from + ": " + e.getMessage());
          }
        }
        ServiceId id = serviceId(from, "--from");
        if (topology.service(id).isEmpty()) {
          throw new UsageException("--from " + id + " is not a service of these specs");
        }
        return Source.service(id);
    }
  }

  private static ServiceId serviceId(String text, String flag) throws UsageException {
    if (text.indexOf('/') < 0) {
      throw new UsageException(flag + " takes NAMESPACE/NAME, got \"" + text + "\"");
    }
    try {
      return ServiceId.parse(text, "default");
    } catch (IllegalArgumentException e) {
      throw new UsageException(flag + ": " + e.getMessage());
    }
  }
}
