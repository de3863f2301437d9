package dev.lattice.examples.platform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.graph.Agreement;
import dev.lattice.graph.Topology;
import dev.lattice.model.Exposure;
import dev.lattice.model.HttpRule;
import dev.lattice.model.Port;
import dev.lattice.model.Service;
import dev.lattice.output.RequiredLabel;
import dev.lattice.verify.Decision;
import dev.lattice.verify.Destination;
import dev.lattice.verify.Query;
import dev.lattice.verify.Source;
import dev.lattice.verify.Verdict;
import dev.lattice.verify.Verifier;
import dev.lattice.verify.world.World;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Judges rendered documents against the declared graph with lattice-verify's evaluators: for every
 * (caller, callee, port) and every (outside source, port), each layer's verdict must agree with
 * the agreements and exposures, up to the tolerated limits of DESIGN §9 ({@link Expectations}).
 * Collects every disagreement, with the verdict's explanation, and counts what it saw.
 */
final class Judge {
  final Topology topology;
  final Verifier verifier;
  private final Expectations expect;

  /** Every disagreement found so far. */
  final List<String> problems = new ArrayList<>();

  /** What the checks met: agreed and other edges, tolerated limits, exposed ports, requests. */
  final Map<String, Integer> seen = new TreeMap<>();

  /**
   * A judge of {@code documents} (both layers, as rendered or as checked in) in the world of
   * {@code topology}, with {@code labels} applied to the Services as the operator would.
   */
  Judge(Topology topology, Collection<JsonNode> documents, Collection<RequiredLabel> labels) {
    this.topology = topology;
    List<JsonNode> cilium = new ArrayList<>();
    List<JsonNode> istio = new ArrayList<>();
    for (JsonNode d : documents) {
      (d.path("apiVersion").asText().startsWith("cilium.io/") ? cilium : istio).add(d);
    }
    World world = World.builder(topology).documents(documents).requiredLabels(labels).build();
    this.verifier = Verifier.of(world, cilium, istio);
    this.expect = new Expectations(topology);
  }

  private void count(String what) {
    seen.merge(what, 1, Integer::sum);
  }

  /** Each layer alone allows exactly the agreed calls (and requests), up to limits 1–3. */
  Judge serviceToService() {
    for (Service a : topology.services()) {
      for (Service b : topology.services()) {
        for (Port p : b.ports()) {
          Query q =
              Query.from(Source.service(a.id()))
                  .to(Destination.service(b.id(), p.port()))
                  .protocol(p.protocol());
          Verdict v = verifier.check(q);
          String edge = a.id() + " -> " + b.id() + " port " + p.name() + " (" + p.port() + ")";
          boolean agreed = expect.agreed(a.id(), b.id(), p);
          count(agreed ? "agreed" : "not agreed");

          Decision l4 = v.cilium().decision();
          String tolerance = expect.l4Tolerance(a.id(), b.id(), p);
          if (agreed && l4 != Decision.ALLOW) {
            problems.add("agreed " + edge + " is not allowed by Cilium\n" + v.explain());
          } else if (!agreed && l4 == Decision.ALLOW) {
            if (tolerance == null) {
              problems.add("undeclared " + edge + " is allowed by Cilium\n" + v.explain());
            } else {
              count("L4 tolerated, " + tolerance.substring(0, tolerance.indexOf(':')));
            }
          }

          Decision l7 = v.istio().decision();
          if (!expect.l7Applies(b.id(), p)) {
            if (l7 != Decision.N_A) {
              problems.add("Istio decided " + l7 + " for " + edge + " without an enforcement"
                  + " point\n" + v.explain());
            }
          } else if (agreed && l7 != Decision.ALLOW) {
            problems.add("agreed " + edge + " is not allowed by Istio\n" + v.explain());
          } else if (!agreed && l7 != Decision.DENY) {
            if (!a.isAmbient() && expect.plaintext(b.id(), p) && l7 == Decision.ALLOW) {
              count("L7 tolerated, limit 3");
            } else {
              problems.add("undeclared " + edge + " is " + l7 + " by Istio\n" + v.explain());
            }
          }
          if (agreed) {
            requests(expect.agreement(a.id(), b.id()).orElseThrow(), q, edge);
          }
        }
      }
    }
    return this;
  }

  /** Requests an agreement's HTTP rules grant pass both layers; one they do not is denied at L7. */
  private void requests(Agreement ag, Query q, String edge) {
    if (!ag.hasHttpRules()) {
      return;
    }
    count("HTTP requests");
    for (HttpRule rule : ag.httpRules()) {
      String[] req = Expectations.matching(rule);
      Verdict v = verifier.check(q.request(req[0], req[1]));
      if (!v.allowed() || v.istio().decision() != Decision.ALLOW) {
        problems.add("granted " + req[0] + " " + req[1] + " on " + edge + " is denied\n"
            + v.explain());
      }
    }
    if (!Expectations.grants(ag.httpRules(), "TRACE", "/__lattice/not-granted")) {
      Verdict v = verifier.check(q.request("TRACE", "/__lattice/not-granted"));
      if (v.istio().decision() != Decision.DENY) {
        problems.add("TRACE /__lattice/not-granted on " + edge + " is granted by no rule but"
            + " Istio does not deny it\n" + v.explain());
      }
    }
  }

  /**
   * Internet clients, the API server, the nodes and addresses in (and outside) every exposed CIDR
   * reach exactly the ports exposed to them at L4; at L7 exactly the plaintext ports admit them.
   */
  Judge outsideSources() {
    World w = verifier.world();
    List<Object[]> sources = new ArrayList<>();
    sources.add(new Object[] {Expectations.Outside.WORLD, Source.world(), w.internet().ip()});
    sources.add(new Object[] {
      Expectations.Outside.KUBE_APISERVER, Source.kubeApiserver(), w.kubeApiserver().ip()
    });
    sources.add(new Object[] {Expectations.Outside.REMOTE_NODE, Source.remoteNode(), null});
    // 198.51.100.0/24 is in no exposure: an address from it is just another internet client
    TreeSet<String> cidrs = new TreeSet<>(List.of("198.51.100.0/24"));
    for (Service s : topology.services()) {
      for (Port p : s.ports()) {
        p.exposedTo().stream()
            .filter(x -> x.kind() == Exposure.Kind.CIDR)
            .forEach(x -> cidrs.add(x.cidr().orElseThrow()));
      }
    }
    for (String c : cidrs) {
      String ip = w.addressIn(c).ip();
      sources.add(new Object[] {Expectations.Outside.CIDR, Source.address(ip), ip});
    }
    for (Object[] src : sources) {
      Expectations.Outside kind = (Expectations.Outside) src[0];
      for (Service b : topology.services()) {
        for (Port p : b.ports()) {
          Verdict v =
              verifier.check(
                  Query.from((Source) src[1])
                      .to(Destination.service(b.id(), p.port()))
                      .protocol(p.protocol()));
          String edge = src[1] + " -> " + b.id() + " port " + p.name();
          boolean exposed = expect.exposed(p, kind, (String) src[2]);
          if (exposed) {
            count("exposed to " + kind);
          }
          Decision l4 = v.cilium().decision();
          if (exposed != (l4 == Decision.ALLOW)) {
            problems.add((exposed ? "exposed " : "unexposed ") + edge + ": Cilium " + l4 + "\n"
                + v.explain());
          }
          Decision l7 = v.istio().decision();
          if (!expect.l7Applies(b.id(), p)) {
            if (l7 != Decision.N_A) {
              problems.add("Istio decided " + l7 + " for " + edge + "\n" + v.explain());
            }
          } else if (expect.plaintext(b.id(), p) != (l7 == Decision.ALLOW)) {
            problems.add("Istio " + l7 + " for " + edge + ", expected "
                + (expect.plaintext(b.id(), p) ? "ALLOW (plaintext port, limit 3)" : "DENY")
                + "\n" + v.explain());
          }
        }
      }
    }
    return this;
  }
}
