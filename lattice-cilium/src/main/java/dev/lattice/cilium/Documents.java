package dev.lattice.cilium;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.internal.CompactNodeFactory;
import dev.lattice.internal.YamlSizes;
import dev.lattice.output.Labels;
import dev.lattice.output.Resource;
import dev.lattice.output.ResourceNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The envelope of the documents this module writes: kind, name, namespace, labels (DESIGN §8). */
final class Documents {
  static final String GROUP = "cilium.io";
  static final String API_VERSION = GROUP + "/v2";
  static final String CNP = "CiliumNetworkPolicy";
  static final String CCNP = "CiliumClusterwideNetworkPolicy";

  private Documents() {}

  /**
   * The CiliumNetworkPolicy {@code name} in {@code namespace} selecting {@code podLabels} (never a
   * namespace key: Cilium adds the policy's namespace itself, C7), labelled as belonging to {@code
   * service} when that is not null — or, when its rules would make it larger than {@code maxBytes},
   * several: {@code name}, then one {@link #partName name.<hash>} per further part, selecting the
   * same pods, each with a share of the rule elements in their order, cut where {@link Boundaries}
   * says (content-defined, so that a change to one element moves one or two part boundaries, not
   * all after it, and named by content, so that no part after them is renamed either). Cilium
   * unions every policy that selects an endpoint (C4), and each part has rules, so the parts allow
   * exactly what one policy would. The dot keeps part names apart from every service's and
   * waypoint's own policy (those names are DNS labels). Empty when there are no rules.
   */
  static List<Resource> namespaced(
      String namespace,
      String name,
      String service,
      Map<String, String> podLabels,
      RuleSet rules,
      int maxBytes) {
    RuleSet.Elements ingress = rules.ingressElements();
    RuleSet.Elements egress = rules.egressElements(maxBytes / 2);
    return split(
        namespace,
        name,
        service,
        podLabels,
        ingress.nodes,
        ingress.sizes(),
        egress.nodes,
        egress.sizes(),
        maxBytes);
  }

  /** The parts of {@link #namespaced} from its elements and their estimated sizes. */
  static List<Resource> split(
      String namespace,
      String name,
      String service,
      Map<String, String> podLabels,
      List<ObjectNode> ingress,
      int[] ingressSizes,
      List<ObjectNode> egress,
      int[] egressSizes,
      int maxBytes) {
    List<Resource> out = new ArrayList<>();
    if (ingress.isEmpty() && egress.isEmpty()) {
      return out;
    }
    int budget = partBudget(maxBytes);
    boolean cut = sum(ingressSizes) + sum(egressSizes) > budget;
    Set<String> taken = new HashSet<>();
    int i = 0;
    int e = 0;
    while (i < ingress.size() || e < egress.size()) {
      List<ObjectNode> in = new ArrayList<>();
      List<ObjectNode> eg = new ArrayList<>();
      int bytes = 0;
      boolean ended = false;
      while (!ended && i < ingress.size()) {
        int size = ingressSizes[i];
        if (!(in.isEmpty() && eg.isEmpty()) && bytes + size > budget) {
          break;
        }
        ObjectNode element = ingress.get(i++);
        in.add(element);
        bytes += size;
        ended = cut && endsPart(element, size, budget);
      }
      while (!ended && i == ingress.size() && e < egress.size()) {
        int size = egressSizes[e];
        if (!(in.isEmpty() && eg.isEmpty()) && bytes + size > budget) {
          break;
        }
        ObjectNode element = egress.get(e++);
        eg.add(element);
        bytes += size;
        ended = cut && endsPart(element, size, budget);
      }
      ObjectNode first = in.isEmpty() ? eg.get(0) : in.get(0);
      String partName =
          out.isEmpty() ? name : partName(name, Boundaries.hash(first), out.size(), taken);
      out.add(part(namespace, partName, service, podLabels, in, eg));
    }
    return out;
  }

  private static long sum(int[] sizes) {
    long sum = 0;
    for (int size : sizes) {
      sum += size;
    }
    return sum;
  }

  /**
   * Whether a part of a policy that is cut ends after {@code element} of {@code size}: a {@link
   * Boundaries#marker} for parts of about half the {@code budget}.
   */
  static boolean endsPart(ObjectNode element, int size, int budget) {
    return endsPart(Boundaries.hash(element), size, budget);
  }

  static boolean endsPart(int hash, int size, int budget) {
    return Boundaries.marker(hash, size, budget / 2);
  }

  /**
   * How many bytes of rule elements one part of at most {@code maxBytes} takes: less the envelope.
   */
  static int partBudget(int maxBytes) {
    return maxBytes - 400;
  }

  /**
   * The name of a part after the first of policy {@code name}: {@code name.<h>}, where {@code h} is
   * the eight hex digits of the {@link Boundaries#hash} of the part's first element. A name made
   * from content, not position, stays when a change inserts or removes a part before it, so a
   * controller re-applies only the parts whose elements changed. When an earlier part of the same
   * policy (its names in {@code taken}, to which this one is added) already has that name — two
   * first elements with one 32-bit hash, about once in ten million policies of 200 parts — it takes
   * {@code name.<h>-<index>} instead, still deterministic for the same input.
   */
  static String partName(String name, int firstHash, int index, Set<String> taken) {
    String hex = Integer.toHexString(firstHash);
    String candidate = name + "." + "0".repeat(8 - hex.length()) + hex;
    if (!taken.add(candidate)) {
      candidate = candidate + "-" + index;
      taken.add(candidate);
    }
    return candidate;
  }

  /**
   * A part of {@link #namespaced} named {@code partName}, with the rule elements {@code ingress}
   * and {@code egress}.
   */
  static Resource part(
      String namespace,
      String partName,
      String service,
      Map<String, String> podLabels,
      List<ObjectNode> ingress,
      List<ObjectNode> egress) {
    ObjectNode doc = envelope(CNP, partName, service);
    ((ObjectNode) doc.get("metadata")).put("namespace", namespace);
    ObjectNode spec = doc.putObject("spec");
    ObjectNode matchLabels = spec.putObject("endpointSelector").putObject("matchLabels");
    new TreeMap<>(podLabels).forEach(matchLabels::put);
    if (!ingress.isEmpty()) {
      spec.putArray("ingress").addAll(ingress);
    }
    if (!egress.isEmpty()) {
      spec.putArray("egress").addAll(egress);
    }
    return Resource.of(doc);
  }

  /**
   * The name of the service or waypoint a policy (or a part of one, {@code name.<hash>}) belongs
   * to.
   */
  static String owner(String policyName) {
    int dot = policyName.indexOf('.');
    return dot < 0 ? policyName : policyName.substring(0, dot);
  }

  /**
   * About how many bytes {@code node} takes in the canonical YAML: its scalars, keys and the
   * punctuation and indentation around them. An estimate for splitting, not a measure.
   */
  static int estimateBytes(JsonNode node) {
    return YamlSizes.estimate(node);
  }

  /** A CiliumClusterwideNetworkPolicy {@code name} with an empty spec for the caller to fill. */
  static ObjectNode clusterwide(String name) {
    ObjectNode doc = envelope(CCNP, name, null);
    doc.putObject("spec");
    return doc;
  }

  private static ObjectNode envelope(String kind, String name, String service) {
    ObjectNode doc = CompactNodeFactory.INSTANCE.objectNode();
    doc.put("apiVersion", API_VERSION);
    doc.put("kind", kind);
    ObjectNode metadata = doc.putObject("metadata");
    metadata.put("name", ResourceNames.fit(name, ResourceNames.SUBDOMAIN_LIMIT));
    ObjectNode labels = metadata.putObject("labels");
    labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
    if (service != null) {
      labels.put(Labels.SERVICE, service);
    }
    return doc;
  }
}
