package dev.lattice.output;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.internal.Threads;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A rendered set of resources, sorted by kind, namespace and name, with the labels Lattice needs on
 * objects it does not own. Written as YAML or JSON, it is byte-identical for the same input.
 *
 * <pre>{@code
 * Manifest m = cilium.plus(istio);
 * System.out.print(m.toYaml());
 * m.requiredLabels().forEach(l -> System.err.println(l.kubectl()));
 * }</pre>
 */
public final class Manifest {
  /** Sorted; never modified: {@link #replace} copies runs of it with {@code System.arraycopy}. */
  private final Resource[] array;

  private final List<Resource> resources;
  private final List<RequiredLabel> requiredLabels;

  private Manifest(Resource[] sorted, List<RequiredLabel> requiredLabels) {
    this.array = sorted;
    this.resources = Collections.unmodifiableList(Arrays.asList(sorted));
    this.requiredLabels = requiredLabels;
  }

  /**
   * A manifest of {@code resources} (sorted here) and {@code requiredLabels}.
   *
   * @throws IllegalArgumentException when two resources share a key
   */
  public static Manifest of(
      Collection<Resource> resources, Collection<RequiredLabel> requiredLabels) {
    List<Resource> sorted = new ArrayList<>(resources);
    sorted.sort(null);
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).key().equals(sorted.get(i - 1).key())) {
        throw new IllegalArgumentException("two resources are both " + sorted.get(i).key());
      }
    }
    return new Manifest(sorted.toArray(new Resource[0]), sortedLabels(requiredLabels));
  }

  /** {@code labels} sorted, each once. */
  private static List<RequiredLabel> sortedLabels(Collection<RequiredLabel> labels) {
    return List.copyOf(new TreeSet<>(labels));
  }

  /** A manifest of {@code resources} that needs no labels. */
  public static Manifest of(Collection<Resource> resources) {
    return of(resources, List.of());
  }

  /** The resources, sorted by kind, namespace, name (then API group). */
  public List<Resource> resources() {
    return resources;
  }

  /** Labels needed on objects Lattice does not own, sorted. */
  public List<RequiredLabel> requiredLabels() {
    return requiredLabels;
  }

  /** The resource with {@code key}, if present. */
  public Optional<Resource> get(ResourceKey key) {
    // a bisection of the sorted array: an index of every key cost a pass over the whole manifest
    // for each manifest an incremental update makes
    int lo = 0;
    int hi = array.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = array[mid].key().compareTo(key);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return Optional.of(array[mid]);
      }
    }
    return Optional.empty();
  }

  /**
   * {@code first} and {@code second} rendered at the same time, then {@link #plus joined}: {@code
   * first} on a new thread while {@code second} runs on the caller's, or both on the caller's when
   * the JVM has one processor. The renderers are pure functions of a topology, and the result is
   * the same manifest, in the same order, as {@code first.get().plus(second.get())}. An exception
   * of either is thrown here (the first layer's when both fail).
   *
   * <p>On a large topology each renderer also takes a second thread for its services ({@code
   * dev.lattice.internal.Parallel}): four threads on two cores, which claim their blocks of
   * services as they get to them, so the layer that ends first stops competing and the other's two
   * threads take both cores. The render then takes about the two layers' CPU over two cores, not
   * the longer layer's alone.
   *
   * <pre>{@code
   * Manifest both = Manifest.both(
   *     () -> CiliumRenderer.create().render(topology),
   *     () -> IstioRenderer.create().render(topology));
   * }</pre>
   */
  public static Manifest both(Supplier<Manifest> first, Supplier<Manifest> second) {
    if (Runtime.getRuntime().availableProcessors() < 2) {
      return first.get().plus(second.get());
    }
    Manifest[] result = new Manifest[1];
    Throwable[] failure = new Throwable[1];
    Thread worker =
        new Thread(
            () -> {
              try {
                result[0] = first.get();
              } catch (RuntimeException | Error e) {
                failure[0] = e;
              }
            },
            "lattice-layer");
    worker.setDaemon(true);
    worker.start();
    Manifest b = null;
    Throwable secondFailure = null;
    try {
      b = second.get();
    } catch (RuntimeException | Error e) {
      secondFailure = e;
    }
    Threads.joinUninterruptibly(worker);
    // join() orders the worker's writes before these reads
    Throwable thrown = failure[0] != null ? failure[0] : secondFailure;
    Threads.rethrow(thrown);
    return result[0].plus(b);
  }

  /**
   * This manifest and {@code other} together (e.g. the Cilium and the Istio layer).
   *
   * @throws IllegalArgumentException when both hold a resource with the same key
   */
  public Manifest plus(Manifest other) {
    // both sorted already: one merge, not a sort of the whole (at 50,000 services the two layers'
    // 110,000 resources were sorted again on one thread while the other core idled)
    Resource[] a = array;
    Resource[] b = other.array;
    Resource[] merged = new Resource[a.length + b.length];
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < a.length && j < b.length) {
      int c = a[i].key().compareTo(b[j].key());
      if (c == 0) {
        throw new IllegalArgumentException("two resources are both " + a[i].key());
      }
      merged[k++] = c < 0 ? a[i++] : b[j++];
    }
    System.arraycopy(a, i, merged, k, a.length - i);
    System.arraycopy(b, j, merged, k + a.length - i, b.length - j);
    List<RequiredLabel> l = new ArrayList<>(requiredLabels);
    l.addAll(other.requiredLabels);
    return new Manifest(merged, sortedLabels(l));
  }

  /**
   * This manifest with the resources it holds in {@code namespaces} ({@code ""} for cluster-scoped
   * ones) that {@code owned} selects replaced by {@code resources}, and the required labels it
   * holds in {@code namespaces} that {@code ownedLabels} selects replaced by {@code labels}
   * (neither predicate is asked about anything outside {@code namespaces}). The diff compares only
   * the replaced resources with their replacements. It costs the size of those namespaces and of
   * the replacements (binary searches in the sorted lists, array copies), not a sort of the
   * manifest: this is how a controller splices a re-render of a few services into the manifest it
   * applied.
   *
   * <pre>{@code
   * // the Cilium policy of shop/api, re-rendered after a change
   * ManifestUpdate u = applied.replace(
   *     Set.of("shop"),
   *     r -> r.kind().equals("CiliumNetworkPolicy") && r.name().equals("api"),
   *     cilium.renderService(topology, ServiceId.of("shop", "api")),
   *     l -> false, List.of());
   * u.diff().upserts().forEach(client::apply);
   * u.diff().deletes().forEach(client::delete);
   * }</pre>
   *
   * <p>Each renderer's {@code update(previous, topologyUpdate)} works out what to replace.
   *
   * @throws IllegalArgumentException when a replacement has the key of a resource that stays, or
   *     two replacements share a key
   */
  public ManifestUpdate replace(
      Collection<String> namespaces,
      Predicate<? super Resource> owned,
      Collection<Resource> resources,
      Predicate<? super RequiredLabel> ownedLabels,
      Collection<RequiredLabel> labels) {
    TreeSet<String> sortedNamespaces = new TreeSet<>(namespaces);
    int[] cuts =
        selectedIn(this.resources, Resource::kind, Resource::namespace, sortedNamespaces, owned);
    List<Resource> before = new ArrayList<>(cuts.length);
    for (int i : cuts) {
      before.add(this.resources.get(i));
    }
    List<Resource> after = new ArrayList<>(resources);
    after.sort(null);
    for (int k = 1; k < after.size(); k++) {
      if (after.get(k).key().equals(after.get(k - 1).key())) {
        throw new IllegalArgumentException("two replacements are both " + after.get(k).key());
      }
    }
    // splice: copy the runs between removed indexes and insertion points
    Resource[] out = new Resource[this.resources.size() - before.size() + after.size()];
    int o = 0;
    int cursor = 0;
    int r = 0;
    for (Resource add : after) {
      int at = Arrays.binarySearch(array, add);
      if (at >= 0 && Arrays.binarySearch(cuts, at) < 0) {
        throw new IllegalArgumentException(
            "a replacement has the key of a resource that stays: " + add.key());
      }
      int insert = at >= 0 ? at : -at - 1;
      while (r < cuts.length && cuts[r] < insert) {
        o = copy(cursor, cuts[r], out, o);
        cursor = cuts[r++] + 1;
      }
      o = copy(cursor, insert, out, o);
      cursor = insert;
      out[o++] = add;
    }
    while (r < cuts.length) {
      o = copy(cursor, cuts[r], out, o);
      cursor = cuts[r++] + 1;
    }
    copy(cursor, this.resources.size(), out, o);

    Manifest next = new Manifest(out, spliceLabels(sortedNamespaces, ownedLabels, labels));
    return new ManifestUpdate(this, next, ManifestDiff.ofReplaced(before, after));
  }

  /**
   * The labels that stay, merged with {@code labels}: what a {@code TreeSet} of both, the kept ones
   * first, gives (on a tie the first one stays). Only the labels of {@code namespaces} are asked
   * whether {@code ownedLabels} selects them, each namespace's run of each kind found by bisection,
   * and the kept runs are copied whole: a controller at 50,000 services keeps tens of thousands of
   * labels, and asking each of them was a sixth of a single-service change's time.
   */
  private List<RequiredLabel> spliceLabels(
      TreeSet<String> namespaces,
      Predicate<? super RequiredLabel> ownedLabels,
      Collection<RequiredLabel> labels) {
    int[] removed =
        selectedIn(
            requiredLabels, RequiredLabel::kind, RequiredLabel::namespace, namespaces, ownedLabels);
    if (removed.length == 0 && labels.isEmpty()) {
      return requiredLabels; // a layer without labels, or a change that touches none
    }
    List<RequiredLabel> added = new ArrayList<>(labels);
    added.sort(null); // stable: the first of equal ones leads
    int n = requiredLabels.size();
    List<RequiredLabel> out = new ArrayList<>(n - removed.length + added.size());
    int cursor = 0; // the first kept label not yet copied
    int r = 0; // the first removed index not yet skipped
    int inserted = 0;
    RequiredLabel previous = null;
    for (RequiredLabel l : added) {
      if (previous != null && previous.compareTo(l) == 0) {
        continue; // an equal added one came first
      }
      previous = l;
      int at = Collections.binarySearch(requiredLabels, l);
      if (at >= 0 && Arrays.binarySearch(removed, at) < 0) {
        continue; // a kept one ties, and the kept one came first
      }
      int insert = at >= 0 ? at : -at - 1;
      while (r < removed.length && removed[r] < insert) {
        out.addAll(requiredLabels.subList(cursor, removed[r]));
        cursor = removed[r++] + 1;
      }
      out.addAll(requiredLabels.subList(cursor, insert));
      cursor = insert;
      out.add(l);
      inserted++;
    }
    while (r < removed.length) {
      out.addAll(requiredLabels.subList(cursor, removed[r]));
      cursor = removed[r++] + 1;
    }
    out.addAll(requiredLabels.subList(cursor, n));
    return removed.length == 0 && inserted == 0
        ? requiredLabels // every added one tied with a kept one
        : Collections.unmodifiableList(out);
  }

  /**
   * {@link #replace(Collection, Predicate, Collection, Predicate, Collection)}, keeping the labels.
   */
  public ManifestUpdate replace(
      Collection<String> namespaces,
      Predicate<? super Resource> owned,
      Collection<Resource> resources) {
    return replace(namespaces, owned, resources, l -> false, List.of());
  }

  /** Copies {@code array[from, to)} to {@code out} at {@code o}; returns the next free index. */
  private int copy(int from, int to, Resource[] out, int o) {
    int n = to - from;
    if (n > 0) {
      System.arraycopy(array, from, out, o, n);
    }
    return o + Math.max(n, 0);
  }

  /**
   * The indexes, ascending, of the items of {@code sorted} in {@code namespaces} that {@code
   * selected} picks; nothing outside those namespaces is asked. {@code sorted} is in kind, then
   * namespace order (resources and required labels both are), so each namespace is one run per
   * kind, found by bisection.
   */
  private static <T> int[] selectedIn(
      List<T> sorted,
      Function<? super T, String> kindOf,
      Function<? super T, String> namespaceOf,
      TreeSet<String> namespaces,
      Predicate<? super T> selected) {
    int[] out = new int[8];
    int count = 0;
    int n = sorted.size();
    int from = 0;
    while (from < n) {
      String kind = kindOf.apply(sorted.get(from));
      int kindEnd = bound(sorted, from, n, kindOf, namespaceOf, kind, null, true);
      for (String ns : namespaces) {
        int lo = bound(sorted, from, kindEnd, kindOf, namespaceOf, kind, ns, false);
        int hi = bound(sorted, lo, kindEnd, kindOf, namespaceOf, kind, ns, true);
        for (int i = lo; i < hi; i++) {
          if (selected.test(sorted.get(i))) {
            if (count == out.length) {
              out = Arrays.copyOf(out, count * 2);
            }
            out[count++] = i;
          }
        }
      }
      from = kindEnd;
    }
    return Arrays.copyOf(out, count);
  }

  /**
   * The first index in {@code [from, to)} of {@code sorted} whose item is past {@code kind} (and
   * {@code namespace}, when given) when {@code after}, or not before them otherwise.
   */
  private static <T> int bound(
      List<T> sorted,
      int from,
      int to,
      Function<? super T, String> kindOf,
      Function<? super T, String> namespaceOf,
      String kind,
      String namespace,
      boolean after) {
    int lo = from;
    int hi = to;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      T m = sorted.get(mid);
      int c = kindOf.apply(m).compareTo(kind);
      if (c == 0 && namespace != null) {
        c = namespaceOf.apply(m).compareTo(namespace);
      }
      if (c < 0 || (after && c == 0)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The upserts and deletes that turn {@code previous} into this manifest. */
  public ManifestDiff diffFrom(Manifest previous) {
    return ManifestDiff.between(previous, this);
  }

  /** A multi-document YAML stream: each resource starts with {@code ---}. */
  public String toYaml() {
    StringBuilder sb = new StringBuilder(resources.size() * 1024);
    writeYaml(sb);
    return sb.toString();
  }

  /** Writes the YAML stream of {@link #toYaml()} to {@code out}. */
  public void writeYaml(Appendable out) {
    Writers.yamlStream(resources, out);
  }

  /** Writes the YAML stream to {@code out}, without flushing or closing it. */
  public void writeYaml(Writer out) {
    writeYaml((Appendable) out);
  }

  /**
   * Writes the YAML stream of {@link #toYaml()} to {@code out} as UTF-8, without flushing or
   * closing it: the fastest way out, through one buffer of 64 KiB, with no text of a document or of
   * the manifest held in memory.
   */
  public void writeYaml(OutputStream out) {
    Writers.yamlStream(resources, out);
  }

  /**
   * Writes the YAML stream to {@code out} as UTF-8 bytes, e.g. {@code System.out} (a {@code
   * PrintStream} is both a stream and an {@link Appendable}: this is the faster of the two).
   */
  public void writeYaml(PrintStream out) {
    writeYaml((OutputStream) out);
  }

  /** A Kubernetes {@code List} of the resources as JSON, keys sorted, ending with a newline. */
  public String toJson() {
    StringBuilder sb = new StringBuilder(resources.size() * 1024);
    writeJson(sb);
    return sb.toString();
  }

  /** Writes the JSON of {@link #toJson()} to {@code out}. */
  public void writeJson(Appendable out) {
    writeJson(Writers.to(out));
  }

  /**
   * Writes the JSON of {@link #toJson()} to {@code out} as UTF-8, without flushing or closing it.
   */
  public void writeJson(OutputStream out) {
    writeJson(Writers.to(out));
  }

  /**
   * Writes the JSON of {@link #toJson()} to {@code out} as UTF-8 bytes, e.g. {@code System.out}.
   */
  public void writeJson(PrintStream out) {
    writeJson((OutputStream) out);
  }

  private void writeJson(Writers w) {
    w.text("{\n  \"apiVersion\": \"v1\",\n  \"items\": [");
    boolean first = true;
    for (Resource r : resources) {
      w.text(first ? "\n    " : ",\n    ");
      first = false;
      w.json(r.document(), 2);
    }
    w.text(first ? "],\n" : "\n  ],\n");
    w.text("  \"kind\": \"List\"\n}\n");
    w.flush();
  }

  /** One resource's document as canonical JSON (keys sorted, two-space indentation). */
  public static String toJson(JsonNode document) {
    StringBuilder sb = new StringBuilder();
    Writers.json(document, 0, sb);
    return sb.append('\n').toString();
  }

  @Override
  public String toString() {
    return "Manifest(" + resources.size() + " resources)";
  }
}
