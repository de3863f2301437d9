package dev.lattice.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.kubernetes.ApplyReport.Action;
import dev.lattice.kubernetes.ApplyReport.Failure;
import dev.lattice.kubernetes.ApplyReport.Step;
import dev.lattice.output.Labels;
import dev.lattice.output.Manifest;
import dev.lattice.output.ManifestDiff;
import dev.lattice.output.Resource;
import dev.lattice.output.ResourceKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Brings a cluster to a rendered manifest through the fabric8 client: server-side apply as field
 * manager {@code lattice} for what is new or differs, deletes for what Lattice manages and no
 * longer renders, and nothing else.
 *
 * <pre>{@code
 * try (KubernetesClient client = new KubernetesClientBuilder().build()) {
 *   Applier applier = Applier.create(client);
 *   Manifest manifest = cilium.render(topology).plus(istio.render(topology));
 *   ApplyReport plan = applier.apply(manifest, ApplyOptions.defaults().dryRun(true));
 *   plan.lines().forEach(System.out::println);             // would create ..., would prune ...
 *   ApplyReport done = applier.apply(manifest, ApplyOptions.defaults());
 *   if (!done.isComplete()) { System.err.println(done.failure().get().message()); }
 * }
 * }</pre>
 *
 * <p>How it stays safe:
 *
 * <ul>
 *   <li><b>Prunes only its own.</b> It deletes only objects labelled {@code
 *       app.kubernetes.io/managed-by: lattice}, of the kinds Lattice renders (the cluster-wide
 *       Cilium policies too), that the manifest does not hold. An object of the same name without
 *       the label is someone else's: it is never deleted, and applying over it conflicts unless
 *       {@code force}.
 *   <li><b>Writes only what differs.</b> Each object is compared with the live one first ({@link
 *       Drift}): a second apply of the same manifest writes nothing. A dry run stops there and
 *       reports what it would write.
 *   <li><b>Stops at the first refusal.</b> When the API server refuses a write, the run stops: the
 *       report lists what took effect, the refusal (with the server's reason and what to do), and
 *       what did not run; nothing is pruned. Running again converges.
 *   <li><b>Forces only when asked.</b> Without {@link ApplyOptions#force()}, a field another
 *       manager owns (someone's {@code kubectl edit}) is a conflict the report names, not silently
 *       taken.
 * </ul>
 *
 * <p>Thread-safe if the client is; one run at a time per manifest is the caller's business.
 */
public final class Applier {
  private final KubernetesClient client;

  private Applier(KubernetesClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** An applier that writes through {@code client}. */
  public static Applier create(KubernetesClient client) {
    return new Applier(client);
  }

  /**
   * Brings the cluster to {@code manifest}: applies what is new or differs, then (with {@link
   * ApplyOptions#prune()}) deletes the managed objects of the rendered kinds that {@code manifest}
   * does not hold.
   *
   * @throws IllegalArgumentException when the manifest holds a kind Lattice does not render
   * @throws io.fabric8.kubernetes.client.KubernetesClientException when reading the live objects
   *     fails (nothing was written then)
   */
  public ApplyReport apply(Manifest manifest, ApplyOptions options) {
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(options, "options");
    for (Resource r : manifest.resources()) {
      kind(r.key());
    }
    Map<ResourceKey, JsonNode> live = new TreeMap<>();
    for (Kind k : Kind.RENDERED) {
      live.putAll(listManaged(k));
    }
    List<Planned> plan = new ArrayList<>();
    for (Resource r : manifest.resources()) {
      JsonNode current = live.containsKey(r.key()) ? live.get(r.key()) : get(r.key());
      plan.add(new Planned(step(r, current, options), r));
    }
    if (options.prune()) {
      for (ResourceKey k : live.keySet()) {
        if (manifest.get(k).isEmpty()) {
          plan.add(new Planned(new Step(Action.DELETE, k), null));
        }
      }
    }
    return run(plan, options);
  }

  /**
   * Applies one change a controller computed ({@code cilium.update(...).diff()} and the like): the
   * upserts that differ from the live objects, then the deletes of objects that are still labelled
   * as Lattice's. {@link ApplyOptions#prune()} does not apply: the diff names what to delete.
   */
  public ApplyReport apply(ManifestDiff diff, ApplyOptions options) {
    Objects.requireNonNull(diff, "diff");
    Objects.requireNonNull(options, "options");
    List<Planned> plan = new ArrayList<>();
    for (Resource r : diff.upserts()) {
      plan.add(new Planned(step(r, get(r.key()), options), r));
    }
    for (ResourceKey k : diff.deletes()) {
      JsonNode current = get(k);
      // gone already, or someone else's object under that name now: nothing to prune
      if (current != null && Drift.isManaged(current)) {
        plan.add(new Planned(new Step(Action.DELETE, k), null));
      }
    }
    return run(plan, options);
  }

  /** One planned write and the resource it applies (null for deletes). */
  private record Planned(Step step, Resource resource) {}

  private static Step step(Resource r, JsonNode current, ApplyOptions options) {
    if (current == null) {
      return new Step(Action.CREATE, r.key());
    }
    boolean differs = Drift.needsApply(r.document(), current, options.fieldManager());
    return new Step(differs ? Action.UPDATE : Action.UNCHANGED, r.key());
  }

  private ApplyReport run(List<Planned> plan, ApplyOptions options) {
    // applies first (in manifest order), then deletes: as kubectl apply --prune does
    List<Planned> ordered = new ArrayList<>();
    plan.stream().filter(p -> p.step.action() != Action.DELETE).forEach(ordered::add);
    plan.stream().filter(p -> p.step.action() == Action.DELETE).forEach(ordered::add);
    List<Step> done = new ArrayList<>();
    if (options.dryRun()) {
      ordered.forEach(p -> done.add(p.step));
      return new ApplyReport(true, done, List.of(), null);
    }
    for (int i = 0; i < ordered.size(); i++) {
      Planned p = ordered.get(i);
      try {
        write(p, options);
      } catch (KubernetesClientException e) {
        List<Step> pending = new ArrayList<>();
        for (Planned q : ordered.subList(i + 1, ordered.size())) {
          if (q.step.action() != Action.UNCHANGED) {
            pending.add(q.step);
          }
        }
        return new ApplyReport(
            false, done, pending, new Failure(p.step, e.getCode(), message(p.step, e, options)));
      }
      done.add(p.step);
    }
    return new ApplyReport(false, done, List.of(), null);
  }

  private void write(Planned p, ApplyOptions options) {
    ResourceKey key = p.step.key();
    switch (p.step.action()) {
      case CREATE:
      case UPDATE:
        var applied =
            in(kind(key), key.namespace())
                .resource(KubernetesObjects.of(p.resource))
                .fieldManager(options.fieldManager());
        if (options.force()) {
          applied.forceConflicts().serverSideApply();
        } else {
          applied.serverSideApply();
        }
        break;
      case DELETE:
        in(kind(key), key.namespace()).withName(key.name()).delete();
        break;
      default:
        break;
    }
  }

  // ---------------------------------------------------------------- reading

  /** The live managed objects of {@code kind}, in every namespace. */
  private Map<ResourceKey, JsonNode> listManaged(Kind kind) {
    Map<ResourceKey, JsonNode> out = new TreeMap<>();
    List<GenericKubernetesResource> items;
    try {
      var op = kind.in(client);
      items =
          (kind.namespaced()
                  ? op.inAnyNamespace().withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                  : op.withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE))
              .list()
              .getItems();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        // the cluster does not serve the kind (its CRD is not installed): none of it to prune
        return out;
      }
      throw e;
    }
    for (GenericKubernetesResource o : items) {
      JsonNode tree = KubernetesObjects.tree(o);
      // the server filtered by label; check again rather than trust a filter to prune by
      if (Drift.isManaged(tree)) {
        out.put(
            ResourceKey.of(
                kind.group(),
                kind.kind(),
                Optional.ofNullable(o.getMetadata().getNamespace()).orElse(""),
                o.getMetadata().getName()),
            tree);
      }
    }
    return out;
  }

  /** The live object with {@code key}, or null when there is none. */
  private JsonNode get(ResourceKey key) {
    GenericKubernetesResource o;
    try {
      o = in(kind(key), key.namespace()).withName(key.name()).get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return null;
      }
      throw e;
    }
    return o == null ? null : KubernetesObjects.tree(o);
  }

  private NonNamespaceOperation<
          GenericKubernetesResource,
          io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
          io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>>
      in(Kind kind, String namespace) {
    var op = kind.in(client);
    return kind.namespaced() ? op.inNamespace(namespace) : op;
  }

  /**
   * The kind of {@code key}: one Lattice renders. Anything else is a programmer error (a manifest
   * Lattice did not render), not something to guess a URL for.
   */
  private Kind kind(ResourceKey key) {
    for (Kind k : Kind.RENDERED) {
      if (k.group().equals(key.group()) && k.kind().equals(key.kind())) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        key
            + " is not a kind Lattice renders ("
            + Kind.RENDERED.stream().map(Kind::kind).toList()
            + ")");
  }

  // ---------------------------------------------------------------- messages

  private static String message(Step step, KubernetesClientException e, ApplyOptions options) {
    ResourceKey k = step.key();
    String what = (step.action() == Action.DELETE ? "deleting " : "applying ") + k;
    String reason =
        e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : String.valueOf(e.getMessage());
    String hint;
    switch (e.getCode()) {
      case HttpURLConnection.HTTP_CONFLICT:
        hint =
            options.force()
                ? "the object changed while it was written; run again"
                : "another field manager owns fields Lattice sets (someone edited the object, or"
                    + " another tool writes it): remove that writer, or apply with force to take"
                    + " the fields over";
        break;
      case HttpURLConnection.HTTP_NOT_FOUND:
        hint =
            "the API server does not serve "
                + k.kind()
                + " ("
                + k.group()
                + "): install its CRD (Cilium, Istio or the Gateway API) first";
        break;
      case HttpURLConnection.HTTP_FORBIDDEN:
        hint =
            "the client's account may not "
                + (step.action() == Action.DELETE ? "delete" : "patch")
                + " "
                + k.kind()
                + (k.namespace().isEmpty() ? "" : " in namespace " + k.namespace())
                + ": grant it with RBAC";
        break;
      case 422:
        hint = "the API server rejected the document; check it against the cluster's CRDs";
        break;
      case 0:
        hint = "no answer from the API server; check the connection and run again";
        break;
      default:
        hint = "run again once the cause is fixed; what was applied stays";
        break;
    }
    return what + " failed (HTTP " + e.getCode() + "): " + reason + "; " + hint;
  }
}
