package dev.lattice.verify;

import java.util.List;

/**
 * The verdict on one {@link Query}: the path the traffic takes (SEMANTICS M1–M4), and per layer —
 * Cilium (L4) and Istio (L7 at waypoints, L4 at ztunnel) — the decision with its reason and steps.
 * The connection works when Cilium allows every hop and Istio does not deny.
 */
public final class Verdict {
  private final Query query;
  private final String path;
  private final LayerVerdict cilium;
  private final LayerVerdict istio;
  private final List<String> findings;

  Verdict(
      Query query, String path, LayerVerdict cilium, LayerVerdict istio, List<String> findings) {
    this.query = query;
    this.path = path;
    this.cilium = cilium;
    this.istio = istio;
    this.findings = List.copyOf(findings);
  }

  /** The query. */
  public Query query() {
    return query;
  }

  /** The path the traffic takes, in words (which rule of M1–M4, which waypoint). */
  public String path() {
    return path;
  }

  /** Cilium's verdict. */
  public LayerVerdict cilium() {
    return cilium;
  }

  /** Istio's verdict. */
  public LayerVerdict istio() {
    return istio;
  }

  /** The verdict of {@code layer}. */
  public LayerVerdict layer(Layer layer) {
    return layer == Layer.CILIUM ? cilium : istio;
  }

  /** Whether the connection works: Cilium allows it and Istio does not deny it. */
  public boolean allowed() {
    return cilium.decision() == Decision.ALLOW && istio.passes();
  }

  /**
   * Whether each layer that can see it denies it (Cilium denies; Istio denies or does not apply).
   */
  public boolean deniedByEachLayer() {
    return cilium.decision() == Decision.DENY && istio.decision() != Decision.ALLOW;
  }

  /** Findings of the evaluators that bear on the documents (rejected policies, dropped rules). */
  public List<String> findings() {
    return findings;
  }

  /** A multi-line explanation: the path, each layer's decision and every step with its reason. */
  public String explain() {
    StringBuilder sb = new StringBuilder();
    sb.append(query).append(": ").append(allowed() ? "ALLOWED" : "DENIED").append('\n');
    sb.append("path: ").append(path).append('\n');
    layer(sb, "L4 Cilium", cilium);
    layer(sb, "L7 Istio", istio);
    if (!findings.isEmpty()) {
      sb.append("findings:\n");
      for (String f : findings) {
        sb.append("  - ").append(f).append('\n');
      }
    }
    return sb.toString();
  }

  private static void layer(StringBuilder sb, String name, LayerVerdict v) {
    sb.append(name).append(": ").append(v.decision()).append(" - ").append(v.reason()).append('\n');
    int i = 1;
    for (Step s : v.steps()) {
      String prefix =
          s.kind() == Step.Kind.HOP ? "hop " : s.kind() == Step.Kind.NOTE ? "note: " : "";
      sb.append("  ")
          .append(i++)
          .append(". [")
          .append(s.decision())
          .append("] ")
          .append(prefix)
          .append(s.description())
          .append('\n');
      for (String line : s.reason().split("\n")) {
        sb.append("       ").append(line).append('\n');
      }
    }
  }

  @Override
  public String toString() {
    return query
        + ": "
        + (allowed() ? "ALLOWED" : "DENIED")
        + " (cilium "
        + cilium.decision()
        + ", istio "
        + istio.decision()
        + ")";
  }
}
