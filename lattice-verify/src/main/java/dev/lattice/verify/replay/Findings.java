package dev.lattice.verify.replay;

import dev.lattice.model.ServiceId;
import dev.lattice.verify.diff.Declared;
import dev.lattice.verify.replay.Connection.Call;
import dev.lattice.verify.world.KubeService;
import java.util.ArrayList;
import java.util.List;

/** The report's lists as the judges fill them, one per {@link Observation.Category}. */
final class Findings {
  final List<Observation> dropped = new ArrayList<>();
  final List<Observation> undeclared = new ArrayList<>();
  final List<Observation> unused = new ArrayList<>();
  final List<Observation> outside = new ArrayList<>();
  final List<Observation> allowed = new ArrayList<>();

  /** The list of {@code category}. */
  List<Observation> of(Observation.Category category) {
    return switch (category) {
      case DROPPED -> dropped;
      case UNDECLARED -> undeclared;
      case UNUSED -> unused;
      case OUTSIDE -> outside;
      case ALLOWED -> allowed;
    };
  }

  /** Adds {@code o} to the list of its category. */
  void add(Observation o) {
    of(o.category).add(o);
  }

  /**
   * Adds connection {@code k}, on the Service port {@code sp} it maps to (hidden when it came over
   * HBONE); an observation of {@link Observation.Kind#REQUEST} names the request's method and path.
   */
  void add(
      Observation.Category category,
      Observation.Kind kind,
      String from,
      String to,
      Connection k,
      KubeService.ServicePort sp,
      boolean hbone,
      Seen seen,
      Observation.Judgement judgement) {
    Call request = kind == Observation.Kind.REQUEST ? (Call) k : null;
    add(
        new Observation(
            category,
            kind,
            new Observation.Subject(
                from,
                to,
                k.port(),
                k.protocol().name(),
                sp == null || hbone ? null : sp.port(),
                sp == null || hbone ? null : sp.name(),
                request == null ? null : request.method(),
                request == null ? null : request.path(),
                hbone),
            Observation.Counts.of(seen),
            judgement));
  }

  /** Adds connection {@code k} under outside, reported but not judged, for {@code reason}. */
  void outside(String from, String to, Connection k, Seen seen, String reason) {
    add(
        Observation.Category.OUTSIDE,
        Observation.Kind.OTHER,
        from,
        to,
        k,
        null,
        false,
        seen,
        Observation.Judgement.unjudged(reason, List.of()));
  }

  /** Adds connection {@code k} as dropped: {@code callee} declares no Service port it maps to. */
  void noPort(
      Observation.Kind kind,
      String from,
      ServiceId callee,
      Connection k,
      Seen seen,
      String consequence,
      List<Declared> declared) {
    String reason =
        callee + " declares no port " + k.port() + "/" + k.protocol() + ": " + consequence;
    add(
        Observation.Category.DROPPED,
        kind,
        from,
        callee.toString(),
        k,
        null,
        false,
        seen,
        Observation.Judgement.unjudged(reason, declared));
  }

  /** The result of a replay of {@code source} whose stream {@code tally} counted. */
  ReplayResult result(String source, long lines, Tally tally) {
    return new ReplayResult(
        source,
        lines,
        tally.flows,
        tally.attempts,
        tally.skipped,
        dropped,
        undeclared,
        unused,
        outside,
        allowed);
  }
}
