package dev.lattice.verify.replay;

import dev.lattice.graph.Agreement;
import dev.lattice.graph.Topology;
import dev.lattice.model.Egress;
import dev.lattice.model.Port;
import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A seeded stream of Hubble flow lines in the shape {@code hubble observe -o json} writes them,
 * over a topology's services, generated as it is read (no file, no memory that grows with the
 * count): per connection a SYN seen at both nodes, the SYN-ACK reply and an established packet, the
 * caller's kube-dns lookup, now and then an L7 request and egress to a declared host, and a share
 * of undeclared pairs. For the scale harness and its test; the same seed gives the same bytes.
 */
final class FlowGenerator extends InputStream {
  private final Random random;
  private final long lines;
  private final List<Service> services;
  private final List<Agreement> agreements;
  private final Map<String, String> endpoints = new TreeMap<>();
  private final Map<String, String> ips = new TreeMap<>();
  private final List<String> pending = new ArrayList<>();
  private long emitted;
  private byte[] current = new byte[0];
  private int pos;
  private long clock = 1_774_500_000L;

  FlowGenerator(Topology topology, long lines, long seed) {
    this.random = new Random(seed);
    this.lines = lines;
    this.services = topology.services();
    this.agreements = topology.agreements();
    if (services.stream().allMatch(s -> s.ports().isEmpty())) {
      throw new IllegalArgumentException("no service has a port: no flow to generate");
    }
    int i = 0;
    for (Service s : services) {
      i++;
      ips.put(s.id().toString(), "10.244." + (i / 200) + "." + (10 + i % 200));
      endpoints.put(s.id().toString(), endpoint(s, 20_000 + i));
    }
  }

  private static String endpoint(Service s, int identity) {
    List<String> labels = new ArrayList<>();
    s.selector().forEach((k, v) -> labels.add("k8s:" + k + "=" + v));
    labels.add("k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=" + s.namespace());
    labels.add("k8s:io.cilium.k8s.policy.cluster=default");
    labels.add("k8s:io.cilium.k8s.policy.serviceaccount=" + s.serviceAccount());
    labels.add("k8s:io.kubernetes.pod.namespace=" + s.namespace());
    labels.sort(null);
    StringBuilder sb = new StringBuilder();
    sb.append("{\"ID\":").append(identity % 4000).append(",\"identity\":").append(identity);
    sb.append(",\"namespace\":\"").append(s.namespace()).append("\",\"labels\":[");
    for (int i = 0; i < labels.size(); i++) {
      sb.append(i == 0 ? "" : ",").append('"').append(labels.get(i)).append('"');
    }
    sb.append("],\"pod_name\":\"").append(s.name()).append("-7d9c6b5f4-x2x8k\"");
    sb.append(",\"workloads\":[{\"name\":\"")
        .append(s.name())
        .append("\",\"kind\":\"Deployment\"}]}");
    return sb.toString();
  }

  private static final String DNS =
      "{\"ID\":301,\"identity\":102,\"namespace\":\"kube-system\",\"labels\":["
          + "\"k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=kube-system\","
          + "\"k8s:io.cilium.k8s.policy.cluster=default\","
          + "\"k8s:io.cilium.k8s.policy.serviceaccount=coredns\","
          + "\"k8s:io.kubernetes.pod.namespace=kube-system\",\"k8s:k8s-app=kube-dns\"],"
          + "\"pod_name\":\"coredns-668d6bf9bc-6wq2x\","
          + "\"workloads\":[{\"name\":\"coredns\",\"kind\":\"Deployment\"}]}";
  private static final String WORLD = "{\"identity\":2,\"labels\":[\"reserved:world\"]}";

  @Override
  public int read() {
    if (pos == current.length && !refill()) {
      return -1;
    }
    return current[pos++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    int n = 0;
    while (n < len) {
      if (pos == current.length && !refill()) {
        break;
      }
      int k = Math.min(len - n, current.length - pos);
      System.arraycopy(current, pos, b, off + n, k);
      pos += k;
      n += k;
    }
    return n == 0 ? -1 : n;
  }

  private boolean refill() {
    if (emitted >= lines) {
      return false;
    }
    while (pending.isEmpty()) {
      connection();
    }
    current = (pending.remove(0) + "\n").getBytes(StandardCharsets.UTF_8);
    pos = 0;
    emitted++;
    return true;
  }

  /** The lines of one connection, queued. */
  private void connection() {
    clock++;
    Service from;
    Service to;
    Port port;
    if (!agreements.isEmpty() && random.nextInt(10) < 8) {
      Agreement a = agreements.get(random.nextInt(agreements.size()));
      from = find(a.caller().toString());
      to = find(a.callee().toString());
      port = a.ports().get(random.nextInt(a.ports().size()));
    } else {
      from = services.get(random.nextInt(services.size()));
      to = services.get(random.nextInt(services.size()));
      if (to.ports().isEmpty()) {
        return;
      }
      port = to.ports().get(random.nextInt(to.ports().size()));
    }
    String a = from.id().toString();
    String b = to.id().toString();
    int sport = 32768 + random.nextInt(28000);
    String l4 = port.protocol() == Protocol.TCP ? "TCP" : port.protocol().name();
    // the caller's lookup, then the connection seen leaving and arriving, then the reply
    pending.add(
        flow(
            endpoints.get(a),
            ips.get(a),
            DNS,
            "10.244.0.5",
            "UDP",
            sport + 1,
            53,
            null,
            "EGRESS",
            false,
            "NEW"));
    String syn = "TCP".equals(l4) ? "{\"SYN\":true}" : null;
    pending.add(
        flow(
            endpoints.get(a),
            ips.get(a),
            endpoints.get(b),
            ips.get(b),
            l4,
            sport,
            port.targetPort(),
            syn,
            "EGRESS",
            false,
            "NEW"));
    pending.add(
        flow(
            endpoints.get(a),
            ips.get(a),
            endpoints.get(b),
            ips.get(b),
            l4,
            sport,
            port.targetPort(),
            syn,
            "INGRESS",
            false,
            "NEW"));
    pending.add(
        flow(
            endpoints.get(b),
            ips.get(b),
            endpoints.get(a),
            ips.get(a),
            l4,
            port.targetPort(),
            sport,
            "TCP".equals(l4) ? "{\"SYN\":true,\"ACK\":true}" : null,
            "EGRESS",
            true,
            "REPLY"));
    if ("TCP".equals(l4)) {
      pending.add(
          flow(
              endpoints.get(a),
              ips.get(a),
              endpoints.get(b),
              ips.get(b),
              l4,
              sport,
              port.targetPort(),
              "{\"ACK\":true,\"PSH\":true}",
              "EGRESS",
              false,
              "ESTABLISHED"));
    }
    if (random.nextInt(8) == 0) {
      for (Egress e : from.egress()) {
        if (e.isExactFqdn() && !e.ports().isEmpty()) {
          pending.add(
              flow(
                      endpoints.get(a),
                      ips.get(a),
                      WORLD,
                      "52.84." + random.nextInt(256) + ".33",
                      "TCP",
                      sport + 2,
                      e.ports().get(0),
                      "{\"SYN\":true}",
                      "EGRESS",
                      false,
                      "NEW")
                  .replace(
                      ",\"Type\":", ",\"destination_names\":[\"" + e.target() + "\"],\"Type\":"));
          break;
        }
      }
    }
  }

  private Service find(String id) {
    for (Service s : services) {
      if (s.id().toString().equals(id)) {
        return s;
      }
    }
    throw new IllegalStateException(id);
  }

  private String flow(
      String src,
      String sip,
      String dst,
      String dip,
      String l4,
      int sport,
      int dport,
      String flags,
      String direction,
      boolean reply,
      String reason) {
    StringBuilder sb = new StringBuilder(1400);
    long ns = random.nextInt(1_000_000_000);
    sb.append("{\"flow\":{\"time\":\"").append(time()).append('.').append(ns).append("Z\"");
    sb.append(",\"uuid\":\"").append(new java.util.UUID(random.nextLong(), random.nextLong()));
    sb.append("\",\"emitter\":{\"name\":\"Hubble\",\"version\":\"1.18.3+g1234567\"}");
    sb.append(",\"verdict\":\"FORWARDED\",\"ethernet\":{\"source\":\"62:6b:d0:a4:c5:63\",")
        .append("\"destination\":\"6e:d0:ea:78:fc:0a\"}");
    sb.append(",\"IP\":{\"source\":\"")
        .append(sip)
        .append("\",\"destination\":\"")
        .append(dip)
        .append("\",\"ipVersion\":\"IPv4\"}");
    sb.append(",\"l4\":{\"")
        .append(l4)
        .append("\":{\"source_port\":")
        .append(sport)
        .append(",\"destination_port\":")
        .append(dport);
    if (flags != null) {
      sb.append(",\"flags\":").append(flags);
    }
    sb.append("}},\"source\":").append(src).append(",\"destination\":").append(dst);
    sb.append(",\"Type\":\"L3_L4\",\"node_name\":\"kind-worker\",\"event_type\":{\"type\":4,")
        .append("\"sub_type\":3},\"traffic_direction\":\"")
        .append(direction)
        .append("\",\"trace_observation_point\":\"TO_STACK\",\"trace_reason\":\"")
        .append(reason)
        .append("\",\"is_reply\":")
        .append(reply)
        .append(",\"interface\":{\"index\":15,\"name\":\"lxc3e06f27d75b\"}")
        .append(",\"Summary\":\"")
        .append(l4)
        .append("\"},\"node_name\":\"kind-worker\"")
        .append(",\"time\":\"")
        .append(time())
        .append(".0Z\"}");
    return sb.toString();
  }

  private String time() {
    return java.time.Instant.ofEpochSecond(clock).toString().replace("Z", "");
  }
}
