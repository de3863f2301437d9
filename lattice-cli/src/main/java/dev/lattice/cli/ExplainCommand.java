package dev.lattice.cli;

import dev.lattice.graph.Topology;
import dev.lattice.model.Port;
import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.output.Manifest;
import dev.lattice.verify.Decision;
import dev.lattice.verify.Destination;
import dev.lattice.verify.Query;
import dev.lattice.verify.Source;
import dev.lattice.verify.Verdict;
import dev.lattice.verify.Verifier;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lattice explain}: renders both layers, judges one connection against each with the
 * independent evaluators of lattice-verify, and prints the verdicts with the policy and rule
 * responsible.
 */
@Command(
    name = "explain",
    description = {
      "say whether one connection is allowed, layer by layer, and why",
      "",
      "Renders both layers and evaluates one connection against each, printing the verdict and the"
          + " policy and rule responsible. --from may also be world, kube-apiserver, host,"
          + " remote-node or an IP address; --port is the callee's Service port (number or name);"
          + " without it, every port is explained."
    },
    exitCodeList = {
      "0:every layer allows (each port explained)",
      "1:errors in the specs",
      "2:usage errors (bad options, unknown services or ports, missing or unreadable paths)",
      "3:some layer denies (on any port explained)"
    })
final class ExplainCommand extends SpecCommand {
  @Option(
      names = "--from",
      required = true,
      paramLabel = "NS/NAME",
      description = "the caller: a service, or world, kube-apiserver, host, remote-node, an IP")
  String from;

  @Option(names = "--to", required = true, paramLabel = "NS/NAME", description = "the callee")
  String to;

  @Option(
      names = "--port",
      paramLabel = "P",
      description = "the callee's Service port, by number or name (default: every port)")
  String port;

  @Option(
      names = "--method",
      paramLabel = "M",
      description = "an HTTP method, with --path: judge one request")
  String method;

  @Option(names = "--path", paramLabel = "P", description = "an HTTP path, with --method")
  String path;

  ExplainCommand(Io io) {
    super(io);
  }

  @Override
  public Integer call() throws UsageException {
    if ((method != null) != (path != null)) {
      throw new UsageException("--method and --path go together: give both or neither");
    }
    Topology topology = load(settings(), false);
    if (topology == null) {
      return Main.SPEC_ERRORS;
    }
    Source source = source(from, topology);
    ServiceId callee = serviceId(to, "--to");
    Service service =
        topology
            .service(callee)
            .orElseThrow(
                () -> new UsageException("--to " + callee + " is not a service of these specs"));
    List<Port> ports = new ArrayList<>();
    if (port != null) {
      for (Port p : service.ports()) {
        if (p.name().equals(port) || String.valueOf(p.port()).equals(port)) {
          ports.add(p);
        }
      }
      if (ports.isEmpty()) {
        throw new UsageException(
            callee
                + " has no port "
                + port
                + " (its ports: "
                + service.ports().stream().map(x -> x.name() + " " + x.port()).toList()
                + ")");
      }
    } else {
      ports.addAll(service.ports());
      if (ports.isEmpty()) {
        throw new UsageException(callee + " declares no ports: nothing can reach it");
      }
    }
    Manifest cilium = Layers.cilium(topology);
    Manifest istio = Layers.istio(topology);
    Verifier verifier = Verifier.of(topology, cilium, istio);
    PrintStream out = io.out();
    boolean first = true;
    boolean denied = false;
    for (Port p : ports) {
      Query q = Query.of(source, Destination.service(callee, p.port()));
      if (p.protocol() != Protocol.TCP) {
        q = q.protocol(p.protocol());
      }
      if (method != null) {
        q = q.request(method, path);
      }
      Verdict v = verifier.check(q);
      denied |= v.cilium().decision() == Decision.DENY || v.istio().decision() == Decision.DENY;
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
    // a script asks "may A reach B?": 0 only when no layer stands in the way
    return denied ? Main.DENIED : Main.OK;
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
