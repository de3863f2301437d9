package dev.lattice.verify.replay;

import java.util.ArrayList;
import java.util.List;

/**
 * The fields of one Hubble flow that a replay reads (flow API {@code flow.proto}, as {@code hubble
 * observe -o json} writes it: proto field names, enums as names). One instance is reused line after
 * line, so the stream allocates little per flow.
 */
final class Flow {
  /** One side of a flow: {@code flow.source} or {@code flow.destination}. */
  static final class Endpoint {
    String namespace = "";
    final List<String> labels = new ArrayList<>();
    String podName = "";
    long identity;
    String workload = "";

    void reset() {
      namespace = "";
      labels.clear();
      podName = "";
      identity = 0;
      workload = "";
    }

    boolean isEmpty() {
      return namespace.isEmpty() && labels.isEmpty() && podName.isEmpty() && identity == 0;
    }
  }

  /** What the line held besides a flow: {@code node_status}, {@code lost_events}, ... */
  String otherEvent;

  /** Whether the line had a {@code flow} object, or flow fields at the top (a bare flow). */
  boolean isFlow;

  String verdict = "";
  String type = "";
  String sourceIp = "";
  String destinationIp = "";

  /** {@code TCP}, {@code UDP}, {@code SCTP}, {@code ICMPv4}, {@code ICMPv6}, or empty. */
  String l4 = "";

  int sourcePort;
  int destinationPort;
  boolean tcpFlags;
  boolean syn;
  boolean ack;

  /** {@code is_reply}: null when absent (unknown). */
  Boolean isReply;

  /** The deprecated {@code reply}, which cannot tell false from absent. */
  boolean reply;

  String traceReason = "";
  String trafficDirection = "";
  int eventType = -1;
  final Endpoint source = new Endpoint();
  final Endpoint destination = new Endpoint();
  final List<String> destinationNames = new ArrayList<>();
  String l7Type = "";
  String httpMethod = "";
  String httpUrl = "";
  boolean dns;
  String dropReason = "";

  void reset() {
    otherEvent = null;
    isFlow = false;
    verdict = "";
    type = "";
    sourceIp = "";
    destinationIp = "";
    l4 = "";
    sourcePort = 0;
    destinationPort = 0;
    tcpFlags = false;
    syn = false;
    ack = false;
    isReply = null;
    reply = false;
    traceReason = "";
    trafficDirection = "";
    eventType = -1;
    source.reset();
    destination.reset();
    destinationNames.clear();
    l7Type = "";
    httpMethod = "";
    httpUrl = "";
    dns = false;
    dropReason = "";
  }
}
