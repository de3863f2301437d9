package dev.lattice.istio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.internal.YamlSizes;
import dev.lattice.model.HttpRule;
import dev.lattice.output.Resource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The rules of one ALLOW AuthorizationPolicy. Sources that share the same ports and HTTP operations
 * share one rule; rules are ordered by ports, then operations, and principals are sorted, so the
 * same agreements always give the same document.
 *
 * <p>Every rule has exactly one {@code from} (one source) and one {@code to} per operation: within
 * a rule, {@code from} and {@code to} are ANDed and the entries of {@code to} ORed (SEMANTICS I3),
 * which is what "this caller, on these ports, with any of these requests" means.
 */
final class AllowRules {
  /** The most rules one AuthorizationPolicy may hold (its CRD's {@code rules.maxItems}). */
  static final int MAX_RULES = 512;

  /**
   * The most principals one rule names. A callee admitted by thousands of callers (a collector
   * every service calls) gets several rules with the same {@code to}, which ORs them (I3).
   */
  static final int MAX_PRINCIPALS = 1000;

  /**
   * About how many bytes of YAML one policy may take before the next rules go to a further part:
   * below the 256 KiB client-side {@code kubectl apply} can record, far below etcd's ~1.5 MiB.
   */
  static final int MAX_DOCUMENT_BYTES = 200_000;

  /** The source of the plaintext rule: anything without a mesh identity (SEMANTICS I5). */
  private static final List<String> ANY_IDENTITY = List.of("*");

  private final Map<Key, TreeSet<String>> principals = new TreeMap<>();
  private final TreeSet<Integer> plaintextPorts = new TreeSet<>();

  /** Admits {@code principal} on {@code ports} for {@code operations} (none: any request). */
  void allow(String principal, Collection<Integer> ports, List<Operation> operations) {
    if (principal.isEmpty()) {
      // Istio's webhook rejects an empty principal; an empty one would also be a bug upstream
      throw new IllegalArgumentException("empty principal for ports " + ports);
    }
    if (ports.isEmpty()) {
      return;
    }
    principals
        .computeIfAbsent(
            new Key(List.copyOf(new TreeSet<>(ports)), operations), k -> new TreeSet<>())
        .add(principal);
  }

  /**
   * Admits sources without a mesh identity on {@code ports}. Such a rule can never match a mesh
   * caller, which always presents an identity (SEMANTICS I5).
   */
  void allowPlaintext(Collection<Integer> ports) {
    plaintextPorts.addAll(ports);
  }

  boolean isEmpty() {
    return principals.isEmpty() && plaintextPorts.isEmpty();
  }

  /**
   * The documents of the policy: one, or several when the rules exceed {@link #MAX_RULES} or about
   * {@link #MAX_DOCUMENT_BYTES} of YAML (ALLOW policies are a union, I1, so splitting them changes
   * nothing). Each gets its spec from {@code target} (selector or targetRefs) and the {@code
   * action} and {@code rules} from here; the second and later are named {@code name-2}, {@code
   * name-3}, ...
   */
  List<Resource> policies(
      String namespace, String name, String service, Consumer<ObjectNode> target) {
    List<ObjectNode> rules = rules();
    List<Resource> out = new ArrayList<>();
    int from = 0;
    while (from < rules.size()) {
      int to = from;
      int bytes = 0;
      while (to < rules.size() && to - from < MAX_RULES) {
        int size = estimateBytes(rules.get(to));
        if (to > from && bytes + size > MAX_DOCUMENT_BYTES) {
          break;
        }
        bytes += size;
        to++;
      }
      int part = out.size() + 1;
      ObjectNode doc =
          Documents.document(
              Documents.SECURITY,
              Documents.AUTHORIZATION_POLICY,
              namespace,
              part == 1 ? name : name + "-" + part,
              service,
              Map.of());
      ObjectNode spec = doc.putObject("spec");
      target.accept(spec);
      spec.put("action", "ALLOW");
      ArrayNode array = spec.putArray("rules");
      rules.subList(from, to).forEach(array::add);
      out.add(Resource.of(doc));
      from = to;
    }
    return out;
  }

  /** About how many bytes {@code node} takes in the canonical YAML; an estimate for splitting. */
  private static int estimateBytes(JsonNode node) {
    return YamlSizes.estimate(node);
  }

  private List<ObjectNode> rules() {
    List<ObjectNode> out = new ArrayList<>(principals.size() + 1);
    principals.forEach(
        (key, names) -> {
          List<String> all = new ArrayList<>(names);
          for (int i = 0; i < all.size(); i += MAX_PRINCIPALS) {
            ObjectNode rule = Documents.object();
            rule.putArray("from")
                .addObject()
                .putObject("source")
                .set(
                    "principals",
                    Documents.strings(all.subList(i, Math.min(all.size(), i + MAX_PRINCIPALS))));
            key.to(rule.putArray("to"));
            out.add(rule);
          }
        });
    if (!plaintextPorts.isEmpty()) {
      ObjectNode rule = Documents.object();
      rule.putArray("from")
          .addObject()
          .putObject("source")
          .set("notPrincipals", Documents.strings(ANY_IDENTITY));
      new Key(List.copyOf(plaintextPorts), List.of()).to(rule.putArray("to"));
      out.add(rule);
    }
    return out;
  }

  /**
   * HTTP requests an agreement grants, in canonical form: methods and paths sorted and without
   * repeats (empty: any). Only waypoints understand these (SEMANTICS IZ3, IW2).
   */
  record Operation(List<String> methods, List<String> paths) implements Comparable<Operation> {
    private static final Comparator<Operation> ORDER =
        Comparator.comparing(Operation::methods, AllowRules::compareLists)
            .thenComparing(Operation::paths, AllowRules::compareLists);

    /** The canonical operations of {@code rules}, sorted, without repeats; none for none. */
    static List<Operation> of(List<HttpRule> rules) {
      TreeSet<Operation> ops = new TreeSet<>();
      for (HttpRule r : rules) {
        ops.add(
            new Operation(
                List.copyOf(new TreeSet<>(r.methods())), List.copyOf(new TreeSet<>(r.paths()))));
      }
      return List.copyOf(ops);
    }

    @Override
    public int compareTo(Operation o) {
      return ORDER.compare(this, o);
    }
  }

  /** What a rule's {@code to} says: target ports (sorted) and the operations on them. */
  private record Key(List<Integer> ports, List<Operation> operations) implements Comparable<Key> {
    private static final Comparator<Key> ORDER =
        Comparator.comparing(Key::ports, AllowRules::compareLists)
            .thenComparing(Key::operations, AllowRules::compareLists);

    /** One {@code to} entry per operation, each carrying the ports; one with the ports alone. */
    void to(ArrayNode to) {
      if (operations.isEmpty()) {
        to.addObject().putObject("operation").set("ports", Documents.ports(ports));
        return;
      }
      for (Operation op : operations) {
        ObjectNode operation = to.addObject().putObject("operation");
        operation.set("ports", Documents.ports(ports));
        if (!op.methods().isEmpty()) {
          operation.set("methods", Documents.strings(op.methods()));
        }
        if (!op.paths().isEmpty()) {
          operation.set("paths", Documents.strings(op.paths()));
        }
      }
    }

    @Override
    public int compareTo(Key o) {
      return ORDER.compare(this, o);
    }
  }

  /** Lexicographic order of lists; a proper prefix comes first. */
  private static <T extends Comparable<? super T>> int compareLists(List<T> a, List<T> b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }
}
