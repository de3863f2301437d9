package dev.lattice.verify.replay;

import dev.lattice.graph.Agreement;
import dev.lattice.graph.Topology;
import dev.lattice.model.Egress;
import dev.lattice.model.Exposure;
import dev.lattice.model.Port;
import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.verify.Decision;
import dev.lattice.verify.Destination;
import dev.lattice.verify.Query;
import dev.lattice.verify.Source;
import dev.lattice.verify.Verdict;
import dev.lattice.verify.Verifier;
import dev.lattice.verify.diff.Declared;
import dev.lattice.verify.world.IpRange;
import dev.lattice.verify.world.KubeService;
import dev.lattice.verify.world.Peer;
import dev.lattice.verify.world.World;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Replays observed traffic against rendered policies: reads a Hubble flow export ({@code hubble
 * observe -o json}, one {@code {"flow": {...}}} per line) as a stream, keeps every connection
 * attempt (not replies, not the later packets of a connection), maps both ends to the declared
 * services by their pods' labels and namespace — as the rendered selectors see them — and asks the
 * {@link Verifier} whether each layer would let it through.
 *
 * <pre>{@code
 * Verifier verifier = Verifier.of(topology, cilium, istio);
 * try (InputStream in = Files.newInputStream(Path.of("flows.json"))) {
 *   ReplayResult r = Replay.of(verifier).run(in, "flows.json");
 *   r.dropped().forEach(o -> System.out.println("would drop " + o));
 * }
 * }</pre>
 *
 * <p>Memory is bounded by the number of distinct connections (caller, callee, port[, request]), not
 * by the number of flows: each is judged once and counted. Past {@value #MAX_CONNECTIONS} distinct
 * ones (or {@value #MAX_REQUESTS} distinct HTTP requests) further new ones are counted under {@link
 * ReplayResult#skipped()} instead of itemised. Flows whose ends the graph does not declare are
 * reported under {@link ReplayResult#outside()}, never guessed. A line that is not a Hubble flow
 * stops the replay with a {@link FlowFormatException} naming the line.
 *
 * <p>Between two ambient pods Cilium (and so Hubble) sees only the HBONE port 15008; such a flow is
 * judged against every TCP port of the callee (allowed when one is), and hops to or from a waypoint
 * are stepped over, since the waypoint hides the other end (SEMANTICS M1, M2).
 */
public final class Replay {
  /** How many distinct connections are itemised at most. */
  public static final int MAX_CONNECTIONS = 100_000;

  /** How many distinct HTTP requests (method, path) are itemised at most. */
  public static final int MAX_REQUESTS = 10_000;

  private static final int HBONE = 15008;
  private static final int PROGRESS_EVERY = 100_000;

  /** Told of the replay's progress every 100,000 lines, and once at the end. */
  @FunctionalInterface
  public interface Progress {
    /** {@code lines} read so far, {@code bytes} of them, {@code attempts} among their flows. */
    void update(long lines, long bytes, long attempts);
  }

  private final Verifier verifier;
  private final Progress progress;

  private Replay(Verifier verifier, Progress progress) {
    this.verifier = verifier;
    this.progress = progress;
  }

  /** A replay against the documents {@code verifier} judges. */
  public static Replay of(Verifier verifier) {
    return new Replay(Objects.requireNonNull(verifier, "verifier"), (l, b, a) -> {});
  }

  /** This replay, telling {@code progress} how far it got. */
  public Replay progress(Progress progress) {
    return new Replay(verifier, Objects.requireNonNull(progress, "progress"));
  }

  /**
   * Reads {@code in} to its end and judges every connection attempt in it.
   *
   * @param source the name of what is read, for messages ({@code flows.json}, {@code -})
   * @throws FlowFormatException at the first line that is not a Hubble flow
   * @throws IOException when {@code in} cannot be read
   */
  public ReplayResult run(InputStream in, String source) throws IOException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(source, "source");
    Run run = new Run(verifier.world());
    FlowLines lines = new FlowLines(in);
    FlowParser parser = new FlowParser(run.parties::knows);
    Flow flow = new Flow();
    while (lines.next()) {
      long n = lines.number();
      if (n % PROGRESS_EVERY == 0) {
        progress.update(n, lines.bytesRead(), run.attempts);
      }
      if (lines.tooLong()) {
        throw new FlowFormatException(
            source,
            n,
            0,
            "the line is longer than " + (FlowLines.MAX_LINE >> 20) + " MiB: not a Hubble flow");
      }
      if (lines.isBlank()) {
        continue;
      }
      try {
        parser.parse(lines.buffer(), lines.length(), flow);
      } catch (FlowParser.Problem p) {
        throw new FlowFormatException(source, n, p.column, p.getMessage());
      }
      if (!flow.isFlow) {
        run.skip("events other than flows (" + flow.otherEvent + ")");
        continue;
      }
      run.observe(flow, n);
    }
    progress.update(lines.number(), lines.bytesRead(), run.attempts);
    return run.result(verifier, source, lines.number());
  }

  // ------------------------------------------------------------------ keys and tallies

  /** A service calling a service: what the flows show, and the caller's observed account. */
  private record Call(
      ServiceId from,
      String account,
      ServiceId to,
      int port,
      Protocol protocol,
      String method,
      String path) {}

  /** An outside source calling a service; {@code cls} names the source and its CIDR class. */
  private record Inbound(
      Party.Kind source, String cls, ServiceId to, int port, Protocol protocol) {}

  /** A service calling out of the graph; {@code cls} names the destination class. */
  private record Outbound(
      ServiceId from, Party.Kind kind, String cls, int port, Protocol protocol) {}

  /** Anything else: ends the graph does not declare. */
  private record Other(String from, String to, int port, Protocol protocol, String reason) {}

  /** How often a connection was seen, from which line, with which Hubble verdicts. */
  private static final class Seen {
    long flows;
    final long firstLine;
    final String sample;
    final Map<String, Long> verdicts = new HashMap<>(4);

    Seen(long firstLine, String sample) {
      this.firstLine = firstLine;
      this.sample = sample;
    }

    void add(String verdict) {
      flows++;
      verdicts.merge(verdict.isEmpty() ? "VERDICT_UNKNOWN" : verdict, 1L, Long::sum);
    }

    SortedMap<String, Long> observed() {
      return new TreeMap<>(verdicts);
    }
  }

  /** One replay's state: the tallies of the stream, then the judging. */
  private static final class Run {
    final World world;
    final Topology topology;
    final Parties parties;
    final List<IpRange> exposureCidrs = new ArrayList<>();
    final List<IpRange> egressCidrs = new ArrayList<>();
    final Map<Call, Seen> calls = new LinkedHashMap<>();
    final Map<Inbound, Seen> inbound = new LinkedHashMap<>();
    final Map<Outbound, Seen> outbound = new LinkedHashMap<>();
    final Map<Other, Seen> others = new LinkedHashMap<>();
    final SortedMap<String, Long> skipped = new TreeMap<>();
    long flows;
    long attempts;
    int requests;

    Run(World world) {
      this.world = world;
      this.topology = world.topology();
      this.parties = new Parties(world);
      for (Service s : topology.services()) {
        for (Port p : s.ports()) {
          for (Exposure x : p.exposedTo()) {
            x.cidr().map(IpRange::tryParse).ifPresent(exposureCidrs::add);
          }
        }
        for (Egress e : s.egress()) {
          if (e.kind() == Egress.Kind.CIDR) {
            IpRange r = IpRange.tryParse(e.target());
            if (r != null) {
              egressCidrs.add(r);
            }
          }
        }
      }
    }

    void skip(String why) {
      skipped.merge(why, 1L, Long::sum);
    }

    int size() {
      return calls.size() + inbound.size() + outbound.size() + others.size();
    }

    <K> void tally(Map<K, Seen> map, K key, long line, String sample, String verdict) {
      Seen s = map.get(key);
      if (s == null) {
        if (size() >= MAX_CONNECTIONS) {
          skip("connections past the first " + MAX_CONNECTIONS + " distinct ones (not itemised)");
          return;
        }
        s = new Seen(line, sample);
        map.put(key, s);
      }
      s.add(verdict);
    }

    /** Why a flow is not a connection attempt, or null when it is one. */
    static String notAnAttempt(Flow f) {
      String type = f.type;
      if (type.equals("SOCK")) {
        return "socket translation events (Type SOCK)";
      }
      if (!type.isEmpty() && !type.equals("L3_L4") && !type.equals("L7")) {
        return "flows of Type " + type;
      }
      boolean reply =
          Boolean.TRUE.equals(f.isReply)
              || (f.isReply == null && f.reply)
              || f.traceReason.equals("REPLY");
      if (type.equals("L7")) {
        if (f.dns) {
          return "DNS lookups (each connection's lookup is judged with it)";
        }
        if (f.l7Type.equals("RESPONSE") || reply) {
          return "replies";
        }
        if (!f.l7Type.equals("REQUEST")) {
          return "L7 events other than requests";
        }
        if (f.httpMethod.isEmpty()) {
          return "L7 requests other than HTTP (their connection is judged from its L3/L4 flow)";
        }
      } else if (reply) {
        return "replies";
      }
      if ((f.l4.equals("TCP") || f.l4.equals("UDP") || f.l4.equals("SCTP"))
          && f.destinationPort == 0) {
        return "flows without a destination port";
      }
      switch (f.l4) {
        case "":
          return f.sourceIp.isEmpty() && f.destinationIp.isEmpty()
              ? "flows without an IP layer"
              : "flows without TCP, UDP or SCTP";
        case "ICMPv4":
        case "ICMPv6":
          return "ICMP (Lattice declares no ICMP)";
        case "TCP":
          if (type.equals("L7")) {
            return null;
          }
          if (f.tcpFlags) {
            return f.syn && !f.ack ? null : "TCP packets after a connection's first SYN";
          }
          return later(f.traceReason);
        default:
          return later(f.traceReason);
      }
    }

    private static String later(String traceReason) {
      switch (traceReason) {
        case "ESTABLISHED":
        case "RELATED":
        case "REOPENED":
          return "packets of established connections (trace_reason " + traceReason + ")";
        default:
          return null;
      }
    }

    void observe(Flow f, long line) {
      flows++;
      String why = notAnAttempt(f);
      if (why != null) {
        skip(why);
        return;
      }
      attempts++;
      Party src = parties.classify(f.source, f.sourceIp);
      Party dst = parties.classify(f.destination, f.destinationIp);
      Protocol proto = Protocol.valueOf(f.l4);
      int port = f.destinationPort;
      if (dst.kind() == Party.Kind.KUBE_DNS) {
        skip("DNS lookups (each connection's lookup is judged with it)");
        return;
      }
      if (src.kind() == Party.Kind.WAYPOINT || dst.kind() == Party.Kind.WAYPOINT) {
        skip("hops to or from a waypoint (the waypoint hides the other end, M2)");
        return;
      }
      if (src.isService() && dst.isService()) {
        String method = null;
        String path = null;
        if (f.type.equals("L7")) {
          method = f.httpMethod;
          path = path(f.httpUrl);
        }
        Call key =
            new Call(src.service(), src.serviceAccount(), dst.service(), port, proto, method, path);
        if (method != null && !calls.containsKey(key)) {
          if (requests >= MAX_REQUESTS) {
            skip("HTTP requests past the first " + MAX_REQUESTS + " distinct ones (not itemised)");
            return;
          }
          requests++;
        }
        tally(calls, key, line, null, f.verdict);
        return;
      }
      if (dst.isService() && isOutsideSource(src.kind())) {
        String cls = "";
        if (src.kind() == Party.Kind.WORLD) {
          cls = classOf(f.sourceIp, exposureCidrs);
        }
        tally(
            inbound,
            new Inbound(src.kind(), cls, dst.service(), port, proto),
            line,
            f.sourceIp,
            f.verdict);
        return;
      }
      if (src.isService() && isOutsideDestination(dst.kind())) {
        String cls = "";
        String sample = f.destinationIp;
        if (dst.kind() == Party.Kind.WORLD) {
          if (!f.destinationNames.isEmpty()) {
            cls = "fqdn " + normalize(f.destinationNames.get(0));
          } else {
            cls = "address " + classOf(f.destinationIp, egressCidrs);
          }
        }
        tally(
            outbound,
            new Outbound(src.service(), dst.kind(), cls, port, proto),
            line,
            sample,
            f.verdict);
        return;
      }
      if (!src.isService() && !dst.isService()) {
        skip("flows where neither end is a declared service");
        return;
      }
      String reason = reason(src, "source") + reason(dst, "destination");
      tally(
          others,
          new Other(src.label(), dst.label(), port, proto, reason.trim()),
          line,
          null,
          f.verdict);
    }

    private static boolean isOutsideSource(Party.Kind k) {
      return k == Party.Kind.WORLD
          || k == Party.Kind.PROBE
          || k == Party.Kind.KUBE_APISERVER
          || k == Party.Kind.HOST
          || k == Party.Kind.REMOTE_NODE;
    }

    private static boolean isOutsideDestination(Party.Kind k) {
      return k == Party.Kind.WORLD
          || k == Party.Kind.KUBE_APISERVER
          || k == Party.Kind.HOST
          || k == Party.Kind.REMOTE_NODE;
    }

    private static String reason(Party p, String role) {
      switch (p.kind()) {
        case SERVICE:
          return "";
        case POD:
          return "the " + role + " is a pod no declared service selects (declare it to judge it). ";
        case AMBIGUOUS:
          return "the "
              + role
              + " is a pod more than one declared service selects: their selectors overlap. ";
        case UNKNOWN:
          return "Hubble named no identity for the " + role + ". ";
        default:
          return "the " + role + " is " + p.label() + ", which Lattice does not judge here. ";
      }
    }

    /** The declared CIDRs that hold {@code ip}, as a class name; empty when none does. */
    private static String classOf(String ip, List<IpRange> cidrs) {
      if (ip.isEmpty() || !IpRange.isAddress(ip)) {
        return "";
      }
      TreeSet<String> in = new TreeSet<>();
      for (IpRange r : cidrs) {
        if (r.contains(ip)) {
          in.add(r.toString());
        }
      }
      return String.join(",", in);
    }

    private static String normalize(String name) {
      String n = name.toLowerCase(Locale.ROOT);
      return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** The path of an HTTP URL as Cilium's proxy logs it: no scheme, host, query or fragment. */
    static String path(String url) {
      String u = url;
      int scheme = u.indexOf("://");
      if (scheme >= 0) {
        int slash = u.indexOf('/', scheme + 3);
        u = slash < 0 ? "/" : u.substring(slash);
      }
      int q = u.indexOf('?');
      if (q >= 0) {
        u = u.substring(0, q);
      }
      int h = u.indexOf('#');
      if (h >= 0) {
        u = u.substring(0, h);
      }
      return u.isEmpty() ? "/" : u;
    }

    // ---------------------------------------------------------------- judging

    ReplayResult result(Verifier verifier, String source, long lines) {
      Judge j = new Judge(verifier, this);
      calls.forEach(
          (k, s) ->
              j.guarded(
                  () -> j.call(k, s), k.from.toString(), k.to.toString(), k.port, k.protocol, s));
      inbound.forEach(
          (k, s) ->
              j.guarded(
                  () -> j.inbound(k, s), k.source.name(), k.to.toString(), k.port, k.protocol, s));
      outbound.forEach(
          (k, s) ->
              j.guarded(() -> j.outbound(k, s), k.from.toString(), k.cls, k.port, k.protocol, s));
      others.forEach(j::other);
      j.unused();
      j.suggest();
      return new ReplayResult(
          source,
          lines,
          flows,
          attempts,
          skipped,
          j.dropped,
          j.undeclared,
          j.unused,
          j.outside,
          j.allowed);
    }
  }

  /** Judges each distinct connection once and sorts it into the report's lists. */
  private static final class Judge {
    final Verifier verifier;
    final Run run;
    final World world;
    final Topology topology;
    final Suggestions suggestions = new Suggestions();
    final List<Observation> dropped = new ArrayList<>();
    final List<Observation> undeclared = new ArrayList<>();
    final List<Observation> unused = new ArrayList<>();
    final List<Observation> outside = new ArrayList<>();
    final List<Observation> allowed = new ArrayList<>();

    /** (caller, callee, Service port, protocol) that some flow used. */
    final Set<List<Object>> used = new HashSet<>();

    /** Per undeclared (caller, callee): the port names observed (empty: all, for HBONE). */
    final Map<List<ServiceId>, TreeSet<String>> undeclaredPorts =
        new TreeMap<>(
            (a, b) -> {
              int c = a.get(0).compareTo(b.get(0));
              return c != 0 ? c : a.get(1).compareTo(b.get(1));
            });

    Judge(Verifier verifier, Run run) {
      this.verifier = verifier;
      this.run = run;
      this.world = run.world;
      this.topology = run.topology;
    }

    private static Observation.Kind kindOf(Call k) {
      return k.method == null ? Observation.Kind.SERVICE : Observation.Kind.REQUEST;
    }

    /** The Service ports a flow's port maps to; HBONE maps to every TCP port of an ambient pod. */
    private List<KubeService.ServicePort> candidates(
        KubeService callee, int port, Protocol proto, boolean hboneAllowed) {
      List<KubeService.ServicePort> out = new ArrayList<>();
      for (KubeService.ServicePort p : callee.ports()) {
        if (p.targetPort() == port && p.protocol() == proto) {
          out.add(p);
        }
      }
      if (out.isEmpty() && hboneAllowed && port == HBONE && proto == Protocol.TCP) {
        for (KubeService.ServicePort p : callee.ports()) {
          if (p.protocol() == Protocol.TCP) {
            out.add(p);
          }
        }
      }
      return out;
    }

    void call(Call k, Seen seen) {
      KubeService callee = world.service(k.to).orElseThrow();
      Service caller = topology.service(k.from).orElseThrow();
      boolean hboneCapable = caller.isAmbient() && callee.service().isAmbient();
      List<KubeService.ServicePort> ports = candidates(callee, k.port, k.protocol, hboneCapable);
      boolean hbone = !ports.isEmpty() && ports.get(0).targetPort() != k.port;
      List<Declared> declared = Declared.call(topology, k.from, k.to);
      if (ports.isEmpty()) {
        add(
            dropped,
            Observation.Category.DROPPED,
            kindOf(k),
            k.from.toString(),
            k.to.toString(),
            k,
            null,
            false,
            seen,
            null,
            k.to
                + " declares no port "
                + k.port
                + "/"
                + k.protocol
                + ": under the default deny no rendered rule admits it; declare the port"
                + " (spec.workload.service.ports), then the agreement",
            declared,
            new TreeMap<>());
        return;
      }
      Verdict chosen = null;
      KubeService.ServicePort chosenPort = null;
      for (KubeService.ServicePort p : ports) {
        used.add(List.of(k.from, k.to, p.port(), p.protocol()));
        Query q =
            Query.from(Source.service(k.from))
                .to(Destination.service(k.to, p.port()))
                .protocol(p.protocol());
        Verdict v = verifier.check(k.method == null ? q : q.request(k.method, k.path));
        if (chosen == null || (v.allowed() && !chosen.allowed())) {
          chosen = v;
          chosenPort = p;
        }
      }
      String reason =
          hbone
              ? "HBONE (TCP 15008): the application port is hidden; judged against every TCP port of "
                  + k.to
                  + (chosen.allowed() ? ", allowed on " + chosenPort.name() : ", denied on all")
              : null;
      String declaredAccount = caller.serviceAccount();
      // a mesh caller's principal names its service account; a plaintext caller has none (I5)
      if (chosen.allowed()
          && caller.isAmbient()
          && !k.account.isEmpty()
          && !k.account.equals(declaredAccount)
          && chosen.istio().decision() == Decision.ALLOW) {
        add(
            dropped,
            Observation.Category.DROPPED,
            kindOf(k),
            k.from.toString(),
            k.to.toString(),
            k,
            chosenPort,
            hbone,
            seen,
            chosen,
            "the pods of "
                + k.from
                + " run as service account "
                + k.account
                + ", but the spec declares "
                + declaredAccount
                + ": the rendered policies admit the principal of "
                + declaredAccount
                + ", so Istio would deny these calls; set spec.serviceAccount: "
                + k.account,
            declared,
            new TreeMap<>(),
            true);
        return;
      }
      if (chosen.allowed()) {
        add(
            allowed,
            Observation.Category.ALLOWED,
            kindOf(k),
            k.from.toString(),
            k.to.toString(),
            k,
            chosenPort,
            hbone,
            seen,
            chosen,
            reason,
            declared,
            new TreeMap<>());
        return;
      }
      if (declared.isEmpty()) {
        TreeSet<String> names =
            undeclaredPorts.computeIfAbsent(List.of(k.from, k.to), x -> new TreeSet<>());
        names.add(hbone ? "*" : chosenPort.name());
        add(
            undeclared,
            Observation.Category.UNDECLARED,
            kindOf(k),
            k.from.toString(),
            k.to.toString(),
            k,
            chosenPort,
            hbone,
            seen,
            chosen,
            reason,
            declared,
            new TreeMap<>());
        return;
      }
      SortedMap<String, String> fix = new TreeMap<>();
      String why = reason;
      boolean callerSays = declared.stream().anyMatch(d -> d.service().equals(k.from));
      boolean calleeSays = declared.stream().anyMatch(d -> d.service().equals(k.to));
      Service callee0 = callee.service();
      Set<String> names = hbone ? Set.of() : Set.of(chosenPort.name());
      if (callerSays && !calleeSays) {
        fix.put(k.to.toString(), suggestions.inbound(callee0, caller, names));
        why = join(why, "only " + k.from + " declares this connection: " + k.to + " must admit it");
      } else if (calleeSays && !callerSays) {
        fix.put(k.from.toString(), suggestions.outbound(caller, callee0, names));
        why =
            join(
                why,
                "only "
                    + k.to
                    + " declares this connection: "
                    + k.from
                    + " must declare it outbound");
      } else {
        for (Agreement ag : topology.agreements()) {
          if (ag.caller().equals(k.from) && ag.callee().equals(k.to)) {
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
            } else if (ag.hasHttpRules() && k.method != null) {
              why = join(why, "the callee grants only " + ag.httpRules());
            }
          }
        }
      }
      add(
          dropped,
          Observation.Category.DROPPED,
          kindOf(k),
          k.from.toString(),
          k.to.toString(),
          k,
          chosenPort,
          hbone,
          seen,
          chosen,
          why,
          declared,
          fix);
    }

    private static String join(String a, String b) {
      return a == null ? b : a + "; " + b;
    }

    void inbound(Inbound k, Seen seen) {
      KubeService callee = world.service(k.to).orElseThrow();
      String from = label(k);
      List<KubeService.ServicePort> ports = candidates(callee, k.port, k.protocol, false);
      if (ports.isEmpty()) {
        add(
            dropped,
            Observation.Category.DROPPED,
            Observation.Kind.EXPOSURE,
            from,
            k.to.toString(),
            k.port,
            k.protocol,
            null,
            false,
            seen,
            null,
            k.to
                + " declares no port "
                + k.port
                + "/"
                + k.protocol
                + ": under the default deny nothing admits it",
            List.of(),
            new TreeMap<>());
        return;
      }
      Source src = source(k, seen.sample);
      Verdict chosen = null;
      KubeService.ServicePort chosenPort = null;
      for (KubeService.ServicePort p : ports) {
        Verdict v =
            verifier.check(
                Query.from(src).to(Destination.service(k.to, p.port())).protocol(p.protocol()));
        if (chosen == null || (v.allowed() && !chosen.allowed())) {
          chosen = v;
          chosenPort = p;
        }
      }
      Exposure.Kind kind =
          k.source == Party.Kind.KUBE_APISERVER
              ? Exposure.Kind.KUBE_APISERVER
              : k.cls.isEmpty() ? Exposure.Kind.WORLD : Exposure.Kind.CIDR;
      List<Declared> declared =
          Declared.exposure(
              topology,
              k.to,
              chosenPort.port(),
              kind,
              kind == Exposure.Kind.CIDR ? seen.sample : null);
      if (chosen.allowed()) {
        add(
            allowed,
            Observation.Category.ALLOWED,
            Observation.Kind.EXPOSURE,
            from,
            k.to.toString(),
            k.port,
            k.protocol,
            chosenPort,
            false,
            seen,
            chosen,
            null,
            declared,
            new TreeMap<>());
        return;
      }
      SortedMap<String, String> fix = new TreeMap<>();
      String exposeTo =
          k.source == Party.Kind.KUBE_APISERVER
              ? "kube-apiserver"
              : k.source == Party.Kind.WORLD
                  ? (k.cls.isEmpty() ? "world" : k.cls.split(",")[0])
                  : null;
      if (exposeTo != null) {
        Service s = callee.service();
        s.port(chosenPort.name())
            .ifPresent(p -> fix.put(k.to.toString(), suggestions.exposure(s, p, exposeTo)));
      }
      add(
          dropped,
          Observation.Category.DROPPED,
          Observation.Kind.EXPOSURE,
          from,
          k.to.toString(),
          k.port,
          k.protocol,
          chosenPort,
          false,
          seen,
          chosen,
          null,
          declared,
          fix);
    }

    private static String label(Inbound k) {
      switch (k.source) {
        case WORLD:
          return k.cls.isEmpty() ? "world" : "world in " + k.cls;
        case PROBE:
          return "ambient probes";
        case KUBE_APISERVER:
          return "kube-apiserver";
        case HOST:
          return "host";
        default:
          return "remote-node";
      }
    }

    private Source source(Inbound k, String ip) {
      switch (k.source) {
        case WORLD:
          return ip != null
                  && IpRange.isAddress(ip)
                  && world.peerAt(ip).kind() == Peer.Kind.EXTERNAL
              ? Source.address(ip)
              : Source.world();
        case PROBE:
          return Source.probe();
        case KUBE_APISERVER:
          return Source.kubeApiserver();
        case HOST:
          return Source.host();
        default:
          return Source.remoteNode();
      }
    }

    void outbound(Outbound k, Seen seen) {
      String to;
      Destination dest;
      Egress.Kind kind;
      String target;
      switch (k.kind) {
        case KUBE_APISERVER:
          to = "entity kube-apiserver";
          dest = Destination.entity("kube-apiserver", k.port);
          kind = Egress.Kind.ENTITY;
          target = "kube-apiserver";
          break;
        case HOST:
          to = "entity host";
          dest = Destination.entity("host", k.port);
          kind = Egress.Kind.ENTITY;
          target = "host";
          break;
        case REMOTE_NODE:
          to = "entity remote-node";
          dest = Destination.entity("remote-node", k.port);
          kind = Egress.Kind.ENTITY;
          target = "remote-node";
          break;
        default:
          if (k.cls.startsWith("fqdn ")) {
            target = k.cls.substring(5);
            to = k.cls;
            dest = Destination.fqdn(target, k.port);
            kind = Egress.Kind.FQDN;
          } else {
            String cidrs = k.cls.substring("address ".length());
            String ip = seen.sample;
            boolean usable =
                ip != null
                    && IpRange.isAddress(ip)
                    && world.peerAt(ip).kind() == Peer.Kind.EXTERNAL;
            to = cidrs.isEmpty() ? "address " + ip : "address in " + cidrs;
            if (usable) {
              dest = Destination.address(ip, k.port);
            } else if (!cidrs.isEmpty()) {
              dest = Destination.cidr(cidrs.split(",")[0], k.port);
            } else {
              dest = Destination.entity("world", k.port);
            }
            kind = Egress.Kind.CIDR;
            target = ip == null ? "" : ip;
          }
      }
      Verdict v = verifier.check(Query.from(Source.service(k.from)).to(dest).protocol(k.protocol));
      List<Declared> declared = new ArrayList<>();
      Service s = topology.service(k.from).orElseThrow();
      for (Egress e : s.egress()) {
        if (matches(e, k, seen.sample)) {
          declared.add(Declared.of(s.id(), "egress " + e, e.source().orElse(null)));
        }
      }
      if (v.allowed()) {
        add(
            allowed,
            Observation.Category.ALLOWED,
            Observation.Kind.EGRESS,
            k.from.toString(),
            to,
            k.port,
            k.protocol,
            null,
            false,
            seen,
            v,
            null,
            declared,
            new TreeMap<>());
        return;
      }
      SortedMap<String, String> fix = new TreeMap<>();
      if (!target.isEmpty()) {
        fix.put(k.from.toString(), suggestions.egress(s, kind, target, k.port, k.protocol));
      }
      add(
          dropped,
          Observation.Category.DROPPED,
          Observation.Kind.EGRESS,
          k.from.toString(),
          to,
          k.port,
          k.protocol,
          null,
          false,
          seen,
          v,
          null,
          declared,
          fix);
    }

    /** Whether egress {@code e} names what {@code k} reached (C9, C13). */
    private static boolean matches(Egress e, Outbound k, String ip) {
      boolean portOk =
          e.ports().isEmpty() || (e.ports().contains(k.port) && e.protocol() == k.protocol);
      if (!portOk) {
        return false;
      }
      switch (e.kind()) {
        case FQDN:
          return k.cls.startsWith("fqdn ") && fqdnMatches(e.target(), k.cls.substring(5));
        case CIDR:
          IpRange r = IpRange.tryParse(e.target());
          return k.kind == Party.Kind.WORLD
              && r != null
              && ip != null
              && IpRange.isAddress(ip)
              && r.contains(ip);
        default:
          switch (e.target()) {
            case "world":
              return k.kind == Party.Kind.WORLD;
            case "cluster":
              return k.kind != Party.Kind.WORLD;
            case "kube-apiserver":
              return k.kind == Party.Kind.KUBE_APISERVER;
            case "host":
              return k.kind == Party.Kind.HOST;
            default:
              return k.kind == Party.Kind.REMOTE_NODE;
          }
      }
    }

    /** C13: exact, or {@code *.x} matching one more label. */
    private static boolean fqdnMatches(String declared, String host) {
      String d = declared.toLowerCase(Locale.ROOT);
      if (!d.startsWith("*.")) {
        return d.equals(host);
      }
      String suffix = d.substring(1);
      return host.endsWith(suffix) && host.indexOf('.') == host.length() - suffix.length();
    }

    /**
     * Runs {@code judging}; a connection the evaluators refuse to judge (a name under the cluster
     * domain seen as external, ...) is reported under outside with their reason, not thrown.
     */
    void guarded(Runnable judging, String from, String to, int port, Protocol protocol, Seen seen) {
      try {
        judging.run();
      } catch (IllegalArgumentException e) {
        add(
            outside,
            Observation.Category.OUTSIDE,
            Observation.Kind.OTHER,
            from,
            to,
            port,
            protocol,
            null,
            false,
            seen,
            null,
            "not judged: " + e.getMessage(),
            List.of(),
            new TreeMap<>());
      }
    }

    void other(Other k, Seen seen) {
      add(
          outside,
          Observation.Category.OUTSIDE,
          Observation.Kind.OTHER,
          k.from,
          k.to,
          k.port,
          k.protocol,
          null,
          false,
          seen,
          null,
          k.reason,
          List.of(),
          new TreeMap<>());
    }

    /** Agreements (per port) and egress declarations no flow used. */
    void unused() {
      for (Agreement ag : topology.agreements()) {
        for (Port p : ag.ports()) {
          if (used.contains(List.of(ag.caller(), ag.callee(), p.port(), p.protocol()))) {
            continue;
          }
          unused.add(
              new Observation(
                  Observation.Category.UNUSED,
                  Observation.Kind.SERVICE,
                  ag.caller().toString(),
                  ag.callee().toString(),
                  p.targetPort(),
                  p.protocol().name(),
                  p.port(),
                  p.name(),
                  null,
                  null,
                  false,
                  0,
                  0,
                  new TreeMap<>(),
                  null,
                  null,
                  Declared.call(topology, ag.caller(), ag.callee()),
                  new TreeMap<>(),
                  false));
        }
      }
      for (Service s : topology.services()) {
        for (Egress e : s.egress()) {
          boolean hit = false;
          for (Map.Entry<Outbound, Seen> o : run.outbound.entrySet()) {
            if (o.getKey().from.equals(s.id()) && matches(e, o.getKey(), o.getValue().sample)) {
              hit = true;
              break;
            }
          }
          if (!hit) {
            unused.add(
                new Observation(
                    Observation.Category.UNUSED,
                    Observation.Kind.EGRESS,
                    s.id().toString(),
                    e.kind().name().toLowerCase(Locale.ROOT) + " " + e.target(),
                    e.ports().isEmpty() ? 0 : e.ports().get(0),
                    e.protocol().name(),
                    null,
                    null,
                    null,
                    null,
                    false,
                    0,
                    0,
                    new TreeMap<>(),
                    null,
                    e.ports().isEmpty() ? "every port" : null,
                    List.of(Declared.of(s.id(), "egress " + e, e.source().orElse(null))),
                    new TreeMap<>(),
                    false));
          }
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
      for (int i = 0; i < undeclared.size(); i++) {
        Observation o = undeclared.get(i);
        List<ServiceId> pair =
            List.of(ServiceId.parse(o.from, "default"), ServiceId.parse(o.to, "default"));
        undeclared.set(
            i,
            new Observation(
                o.category,
                o.kind,
                o.from,
                o.to,
                o.port,
                o.protocol,
                o.servicePort,
                o.portName,
                o.method,
                o.path,
                o.hbone,
                o.flows,
                o.firstLine,
                o.observed,
                o.verdict,
                o.reason,
                o.declarations,
                byPair.get(pair),
                o.identityMismatch));
      }
    }

    private void add(
        List<Observation> list,
        Observation.Category category,
        Observation.Kind kind,
        String from,
        String to,
        Call k,
        KubeService.ServicePort sp,
        boolean hbone,
        Seen seen,
        Verdict v,
        String reason,
        List<Declared> declared,
        SortedMap<String, String> fix) {
      add(list, category, kind, from, to, k, sp, hbone, seen, v, reason, declared, fix, false);
    }

    private void add(
        List<Observation> list,
        Observation.Category category,
        Observation.Kind kind,
        String from,
        String to,
        Call k,
        KubeService.ServicePort sp,
        boolean hbone,
        Seen seen,
        Verdict v,
        String reason,
        List<Declared> declared,
        SortedMap<String, String> fix,
        boolean identity) {
      list.add(
          new Observation(
              category,
              kind,
              from,
              to,
              k.port,
              k.protocol.name(),
              sp == null || hbone ? null : sp.port(),
              sp == null || hbone ? null : sp.name(),
              k.method,
              k.path,
              hbone,
              seen.flows,
              seen.firstLine,
              seen.observed(),
              v,
              reason,
              declared,
              fix,
              identity));
    }

    private void add(
        List<Observation> list,
        Observation.Category category,
        Observation.Kind kind,
        String from,
        String to,
        int port,
        Protocol protocol,
        KubeService.ServicePort sp,
        boolean hbone,
        Seen seen,
        Verdict v,
        String reason,
        List<Declared> declared,
        SortedMap<String, String> fix) {
      list.add(
          new Observation(
              category,
              kind,
              from,
              to,
              port,
              protocol.name(),
              sp == null ? null : sp.port(),
              sp == null ? null : sp.name(),
              null,
              null,
              hbone,
              seen.flows,
              seen.firstLine,
              seen.observed(),
              v,
              reason,
              declared,
              fix,
              false));
    }
  }
}
