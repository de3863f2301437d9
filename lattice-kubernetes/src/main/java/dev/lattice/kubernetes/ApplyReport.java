package dev.lattice.kubernetes;

import dev.lattice.output.ResourceKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@link Applier} run did (or, in a dry run, would do), object by object, and where it
 * stopped if a write failed.
 *
 * <pre>{@code
 * ApplyReport r = applier.apply(manifest, ApplyOptions.defaults());
 * r.lines().forEach(System.out::println);    // created CiliumNetworkPolicy shop/web ...
 * r.failure().ifPresent(f -> System.err.println(f.message()));
 * }</pre>
 *
 * <p>A run stops at the first write the API server refuses: the writes before it are in {@link
 * #steps()} (they took effect), the refused one is {@link #failure()}, the rest are {@link
 * #pending()}, and nothing is pruned. Running again converges: what took effect compares as
 * unchanged.
 */
public final class ApplyReport {
  /** What happened to one object. */
  public enum Action {
    /** Created with server-side apply. */
    CREATE,
    /** Changed with server-side apply: it differed from the rendered document. */
    UPDATE,
    /** Already as rendered: not written. */
    UNCHANGED,
    /** Deleted: managed by Lattice, and no longer rendered. */
    DELETE;

    /** {@code created}, or {@code would create} in a dry run. */
    String describe(boolean dryRun) {
      switch (this) {
        case CREATE:
          return dryRun ? "would create" : "created";
        case UPDATE:
          return dryRun ? "would update" : "updated";
        case DELETE:
          return dryRun ? "would prune" : "pruned";
        default:
          return "unchanged";
      }
    }
  }

  /** One object and what happened to it. */
  public record Step(Action action, ResourceKey key) {
    /** A step. */
    public Step {
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(key, "key");
    }
  }

  /**
   * The write the API server refused: the step, its HTTP status (0 when no answer came) and a
   * message that names the object, the server's reason and what to do.
   */
  public record Failure(Step step, int status, String message) {}

  private final boolean dryRun;
  private final List<Step> steps;
  private final List<Step> pending;
  private final Failure failure;

  ApplyReport(boolean dryRun, List<Step> steps, List<Step> pending, Failure failure) {
    this.dryRun = dryRun;
    this.steps = List.copyOf(steps);
    this.pending = List.copyOf(pending);
    this.failure = failure;
  }

  /** Whether this was a dry run: nothing was written, the steps say what would be. */
  public boolean dryRun() {
    return dryRun;
  }

  /** The steps that took effect (would take effect, in a dry run), in the order they ran. */
  public List<Step> steps() {
    return steps;
  }

  /** The writes not run because one failed before them; empty when the run completed. */
  public List<Step> pending() {
    return pending;
  }

  /** The write that failed, if one did. */
  public Optional<Failure> failure() {
    return Optional.ofNullable(failure);
  }

  /** Whether every step ran. */
  public boolean isComplete() {
    return failure == null;
  }

  /** Whether nothing was (or would be) written. */
  public boolean isNoOp() {
    return steps.stream().allMatch(s -> s.action() == Action.UNCHANGED);
  }

  /** The objects with {@code action}, in the order they ran. */
  public List<ResourceKey> keys(Action action) {
    return steps.stream().filter(s -> s.action() == action).map(Step::key).toList();
  }

  /**
   * One line per write, as {@code kubectl} prints them: {@code created CiliumNetworkPolicy
   * shop/web}, {@code would prune ...} in a dry run, then the failure and what it left undone.
   * Unchanged objects are counted in {@link #toString()}, not listed.
   */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    for (Step s : steps) {
      if (s.action() != Action.UNCHANGED) {
        out.add(s.action().describe(dryRun) + " " + s.key());
      }
    }
    if (failure != null) {
      out.add("error: " + failure.message());
      for (Step s : pending) {
        out.add("not run: " + s.action().name().toLowerCase(Locale.ROOT) + " " + s.key());
      }
    }
    return out;
  }

  /** {@code 2 created, 1 updated, 40 unchanged, 1 pruned} (and the failure, if any). */
  @Override
  public String toString() {
    String counts =
        String.format(
            Locale.ROOT,
            "%s%d created, %d updated, %d unchanged, %d pruned",
            dryRun ? "dry run: " : "",
            keys(Action.CREATE).size(),
            keys(Action.UPDATE).size(),
            keys(Action.UNCHANGED).size(),
            keys(Action.DELETE).size());
    return failure == null
        ? counts
        : counts + "; stopped: " + failure.message() + " (" + pending.size() + " steps not run)";
  }
}
