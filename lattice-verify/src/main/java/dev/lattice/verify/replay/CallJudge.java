package dev.lattice.verify.replay;

import dev.lattice.graph.Agreement;
import dev.lattice.graph.Topology;
import dev.lattice.model.Port;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.verify.Decision;
import dev.lattice.verify.Destination;
import dev.lattice.verify.Query;
import dev.lattice.verify.Source;
import dev.lattice.verify.Verdict;
import dev.lattice.verify.Verifier;
import dev.lattice.verify.diff.Declared;
import dev.lattice.verify.replay.Connection.Call;
import dev.lattice.verify.world.KubeService;
import dev.lattice.verify.world.World;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Judges the connections between declared services, at L4 and, for HTTP requests, at L7: allowed,
 * dropped (with why and what to declare) or undeclared; then reports the agreed ports no flow used
 * and what both sides of each undeclared pair would add.
 *
 * <p>Between two ambient pods Cilium sees only the HBONE port 15008; such a connection is judged
 * against every TCP port of the callee, allowed when one is (SEMANTICS M1).
 */
final class CallJudge {
  private final Verifier verifier;
  private final World world;
  private final Topology topology;
  private final Suggestions suggestions;
  private final Findings findings;

  /** (caller, callee, Service port, protocol) that some flow used. */
  private final Set<List<Object>> used = new HashSet<>();

  /** Per undeclared (caller, callee): the port names observed (empty: all, for HBONE). */
  private final Map<List<ServiceId>, TreeSet<String>> undeclaredPorts =
      new TreeMap<>(
          (a, b) -> {
            int c = a.get(0).compareTo(b.get(0));
            return c != 0 ? c : a.get(1).compareTo(b.get(1));
          });

  CallJudge(Verifier verifier, Suggestions suggestions, Findings findings) {
    this.verifier = verifier;
    this.world = verifier.world();
    this.topology = world.topology();
    this.suggestions = suggestions;
    this.findings = findings;
  }

  private static Observation.Kind kindOf(Call k) {
    return k.method() == null ? Observation.Kind.SERVICE : Observation.Kind.REQUEST;
  }

  /** Judges {@code k}, a declared service calling a declared service, seen as {@code seen}. */
  void call(Call k, Seen seen) {
    KubeService callee = world.service(k.to()).orElseThrow();
    Service caller = topology.service(k.from()).orElseThrow();
    boolean hboneCapable = caller.isAmbient() && callee.service().isAmbient();
    List<KubeService.ServicePort> ports =
        ServicePorts.candidates(callee, k.port(), k.protocol(), hboneCapable);
    boolean hbone = !ports.isEmpty() && ports.get(0).targetPort() != k.port();
    List<Declared> declared = Declared.call(topology, k.from(), k.to());
    if (ports.isEmpty()) {
      findings.noPort(
          kindOf(k),
          k.from().toString(),
          k.to(),
          k,
          seen,
          "under the default deny no rendered rule admits it; declare the port"
              + " (spec.workload.service.ports), then the agreement",
          declared);
      return;
    }
    ServicePorts.Chosen pick =
        ServicePorts.choose(
            ports,
            p -> {
              used.add(List.of(k.from(), k.to(), p.port(), p.protocol()));
              Query q =
                  Query.from(Source.service(k.from()))
                      .to(Destination.service(k.to(), p.port()))
                      .protocol(p.protocol());
              return verifier.check(k.method() == null ? q : q.request(k.method(), k.path()));
            });
    Verdict chosen = pick.verdict();
    KubeService.ServicePort chosenPort = pick.port();
    String reason =
        hbone
            ? "HBONE (TCP 15008): the application port is hidden; judged against every TCP port of "
                + k.to()
                + (chosen.allowed() ? ", allowed on " + chosenPort.name() : ", denied on all")
            : null;
    String declaredAccount = caller.serviceAccount();
    Observation.Category category;
    SortedMap<String, String> fix = new TreeMap<>();
    boolean identity = false;
    // a mesh caller's principal names its service account; a plaintext caller has none (I5)
    if (chosen.allowed()
        && caller.isAmbient()
        && !k.account().isEmpty()
        && !k.account().equals(declaredAccount)
        && chosen.istio().decision() == Decision.ALLOW) {
      category = Observation.Category.DROPPED;
      reason =
          "the pods of "
              + k.from()
              + " run as service account "
              + k.account()
              + ", but the spec declares "
              + declaredAccount
              + ": the rendered policies admit the principal of "
              + declaredAccount
              + ", so Istio would deny these calls; set spec.serviceAccount: "
              + k.account();
      identity = true;
    } else if (chosen.allowed()) {
      category = Observation.Category.ALLOWED;
    } else if (declared.isEmpty()) {
      category = Observation.Category.UNDECLARED;
      TreeSet<String> names =
          undeclaredPorts.computeIfAbsent(List.of(k.from(), k.to()), x -> new TreeSet<>());
      names.add(hbone ? "*" : chosenPort.name());
    } else {
      category = Observation.Category.DROPPED;
      reason = whyDropped(k, caller, callee.service(), chosenPort, hbone, declared, reason, fix);
    }
    findings.add(
        category,
        kindOf(k),
        k.from().toString(),
        k.to().toString(),
        k,
        chosenPort,
        hbone,
        seen,
        new Observation.Judgement(chosen, reason, declared, fix, identity));
  }

  /**
   * Why a declared connection is denied, after {@code reason}: which side does not declare it, or
   * which port or request the agreement leaves out; puts what to declare into {@code fix}.
   */
  private String whyDropped(
      Call k,
      Service caller,
      Service callee,
      KubeService.ServicePort chosenPort,
      boolean hbone,
      List<Declared> declared,
      String reason,
      SortedMap<String, String> fix) {
    String why = reason;
    boolean callerSays = declared.stream().anyMatch(d -> d.service().equals(k.from()));
    boolean calleeSays = declared.stream().anyMatch(d -> d.service().equals(k.to()));
    Set<String> names = hbone ? Set.of() : Set.of(chosenPort.name());
    if (callerSays && !calleeSays) {
      fix.put(k.to().toString(), suggestions.inbound(callee, caller, names));
      why =
          join(why, "only " + k.from() + " declares this connection: " + k.to() + " must admit it");
    } else if (calleeSays && !callerSays) {
      fix.put(k.from().toString(), suggestions.outbound(caller, callee, names));
      why =
          join(
              why,
              "only "
                  + k.to()
                  + " declares this connection: "
                  + k.from()
                  + " must declare it outbound");
    } else {
      for (Agreement ag : topology.agreements()) {
        if (ag.caller().equals(k.from()) && ag.callee().equals(k.to())) {
          String name = chosenPort.name();
          boolean covered = ag.ports().stream().anyMatch(p -> p.name().equals(name));
          if (!covered && !hbone) {
            why =
                join(
                    why,
                    "the agreement covers "
                        + ag.ports().stream().map(Port::name).toList()
                        + " only: add "
                        + chosenPort.name()
                        + " to the declarations' params.ports");
          } else if (ag.hasHttpRules() && k.method() != null) {
            why = join(why, "the callee grants only " + ag.httpRules());
          }
        }
      }
    }
    return why;
  }

  private static String join(String a, String b) {
    return a == null ? b : a + "; " + b;
  }

  /** Reports the agreed ports no flow used. */
  void unused() {
    for (Agreement ag : topology.agreements()) {
      for (Port p : ag.ports()) {
        if (used.contains(List.of(ag.caller(), ag.callee(), p.port(), p.protocol()))) {
          continue;
        }
        findings.add(
            new Observation(
                Observation.Category.UNUSED,
                Observation.Kind.SERVICE,
                new Observation.Subject(
                    ag.caller().toString(),
                    ag.callee().toString(),
                    p.targetPort(),
                    p.protocol().name(),
                    p.port(),
                    p.name(),
                    null,
                    null,
                    false),
                Observation.Counts.none(),
                Observation.Judgement.unjudged(
                    null, Declared.call(topology, ag.caller(), ag.callee()))));
      }
    }
  }

  /** What both sides of each undeclared pair would add, on every observed port of the pair. */
  void suggest() {
    Map<List<ServiceId>, SortedMap<String, String>> byPair = new HashMap<>();
    undeclaredPorts.forEach(
        (pair, names) -> {
          Service a = topology.service(pair.get(0)).orElseThrow();
          Service b = topology.service(pair.get(1)).orElseThrow();
          SortedMap<String, String> m = new TreeMap<>();
          Set<String> ports = names.contains("*") ? Set.of() : names;
          if (a.id().equals(b.id())) {
            m.put(a.id().toString(), suggestions.peerTraffic(a));
          } else {
            m.put(a.id().toString(), suggestions.outbound(a, b, ports));
            m.put(b.id().toString(), suggestions.inbound(b, a, ports));
          }
          byPair.put(pair, m);
        });
    List<Observation> undeclared = findings.undeclared;
    for (int i = 0; i < undeclared.size(); i++) {
      Observation o = undeclared.get(i);
      List<ServiceId> pair =
          List.of(ServiceId.parse(o.from, "default"), ServiceId.parse(o.to, "default"));
      undeclared.set(i, o.withSuggestions(byPair.get(pair)));
    }
  }
}
