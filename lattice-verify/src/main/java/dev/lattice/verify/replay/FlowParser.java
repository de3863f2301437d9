package dev.lattice.verify.replay;

import static dev.lattice.verify.replay.JsonReads.bool;
import static dev.lattice.verify.replay.JsonReads.enumeration;
import static dev.lattice.verify.replay.JsonReads.expect;
import static dev.lattice.verify.replay.JsonReads.firstLine;
import static dev.lattice.verify.replay.JsonReads.number;
import static dev.lattice.verify.replay.JsonReads.port;
import static dev.lattice.verify.replay.JsonReads.problem;
import static dev.lattice.verify.replay.JsonReads.strings;
import static dev.lattice.verify.replay.JsonReads.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * Reads one line of a Hubble flow export into a {@link Flow}, streaming: only the fields a replay
 * needs are kept, everything else is skipped unread. A line is {@code {"flow": {...}, "node_name":
 * ..., "time": ...}} ({@code hubble observe -o json}, the Hubble exporter), or a bare flow object
 * (older tools); lines holding another event ({@code node_status}, {@code lost_events}, ...) are
 * recognised and left to the caller. Field names are the flow API's proto names ({@code IP}, {@code
 * l4.TCP.destination_port}, {@code is_reply}, ...); enums may be names or numbers.
 */
final class FlowParser {
  /** Top-level keys that belong to a flow, for exports that write bare flow objects. */
  private static final Set<String> FLOW_KEYS =
      Set.of(
          "IP",
          "l4",
          "source",
          "destination",
          "Type",
          "verdict",
          "is_reply",
          "traffic_direction",
          "event_type",
          "l7",
          "trace_observation_point");

  /** The other responses a flow stream carries (observer.proto GetFlowsResponse). */
  private static final Set<String> EVENTS =
      Set.of("node_status", "lost_events", "agent_event", "debug_event");

  private static final List<String> VERDICTS =
      List.of(
          "VERDICT_UNKNOWN",
          "FORWARDED",
          "DROPPED",
          "ERROR",
          "AUDIT",
          "REDIRECTED",
          "TRACED",
          "TRANSLATED");
  private static final List<String> TYPES = List.of("UNKNOWN_TYPE", "L3_L4", "L7", "SOCK");
  private static final List<String> L7_TYPES =
      List.of("UNKNOWN_L7_TYPE", "REQUEST", "RESPONSE", "SAMPLE");

  private final JsonFactory factory = JsonFactory.builder().build();
  private final LongPredicate knownIdentity;

  /**
   * A parser that does not read the labels of an endpoint whose security identity {@code
   * knownIdentity} already knows (Cilium derives the identity from exactly those labels, and Hubble
   * writes {@code identity} before {@code labels}): most flows' labels are never turned into
   * strings.
   */
  FlowParser(LongPredicate knownIdentity) {
    this.knownIdentity = knownIdentity;
  }

  /** A field of the wrong shape, with its path; the caller adds the line. */
  static final class Problem extends Exception {
    private static final long serialVersionUID = 1L;
    final int column;

    Problem(int column, String message) {
      super(message, null, false, false);
      this.column = column;
    }
  }

  /**
   * Reads {@code len} bytes of {@code buf} (one line, UTF-8) into {@code flow}.
   *
   * @throws Problem when the line is not a JSON object or a known field has the wrong type
   */
  void parse(byte[] buf, int len, Flow flow) throws Problem {
    flow.reset();
    String unknown = null;
    try (JsonParser p = factory.createParser(buf, 0, len)) {
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_OBJECT) {
        throw problem(p, "not a JSON object: a flow export has one {\"flow\": {...}} per line");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (name.equals("flow")) {
          expect(p, JsonToken.START_OBJECT, "flow");
          flow.isFlow = true;
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            flowField(p, f, "flow." + f, flow);
          }
        } else if (FLOW_KEYS.contains(name)) {
          flow.isFlow = true;
          flowField(p, name, name, flow);
        } else {
          if (EVENTS.contains(name) && flow.otherEvent == null) {
            flow.otherEvent = name;
          } else if (!name.equals("node_name") && !name.equals("time")) {
            unknown = unknown == null ? name : unknown;
          }
          p.skipChildren();
        }
      }
      if (!flow.isFlow && flow.otherEvent == null) {
        throw new Problem(
            1,
            "not a Hubble flow: the object has no \"flow\""
                + (unknown == null ? "" : " (its first key is \"" + unknown + "\")")
                + "; a flow export has one {\"flow\": {...}} per line (hubble observe -o json)");
      }
      if (p.nextToken() != null) {
        throw problem(p, "more than one JSON value on the line: a flow export has one per line");
      }
    } catch (StreamReadException e) {
      throw new Problem(
          e.getLocation() == null ? 0 : e.getLocation().getColumnNr(),
          "not valid JSON ("
              + firstLine(e.getOriginalMessage())
              + "); a flow export has one JSON object per line (hubble observe -o json)");
    } catch (IOException e) {
      throw new Problem(0, "cannot read the line: " + e.getMessage());
    }
  }

  private void flowField(JsonParser p, String name, String path, Flow flow)
      throws Problem, IOException {
    switch (name) {
      case "verdict":
        flow.verdict = enumeration(p, path, VERDICTS);
        break;
      case "Type":
        flow.type = enumeration(p, path, TYPES);
        break;
      case "IP":
        ip(p, path, flow);
        break;
      case "l4":
        l4(p, path, flow);
        break;
      case "source":
        endpoint(p, path, flow.source);
        break;
      case "destination":
        endpoint(p, path, flow.destination);
        break;
      case "is_reply":
        if (p.currentToken() == JsonToken.START_OBJECT) {
          // a BoolValue written as a message: {"value": true}
          Boolean v = Boolean.FALSE;
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            if (f.equals("value")) {
              v = bool(p, path + ".value");
            } else {
              p.skipChildren();
            }
          }
          flow.isReply = v;
        } else if (p.currentToken() != JsonToken.VALUE_NULL) {
          flow.isReply = bool(p, path);
        }
        break;
      case "reply":
        flow.reply = bool(p, path);
        break;
      case "trace_reason":
        flow.traceReason = p.currentToken() == JsonToken.VALUE_NUMBER_INT ? "" : text(p, path);
        break;
      case "traffic_direction":
        flow.trafficDirection =
            enumeration(p, path, List.of("TRAFFIC_DIRECTION_UNKNOWN", "INGRESS", "EGRESS"));
        break;
      case "event_type":
        if (p.currentToken() == JsonToken.VALUE_NULL) {
          break;
        }
        expect(p, JsonToken.START_OBJECT, path);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String f = p.currentName();
          p.nextToken();
          if (f.equals("type")) {
            flow.eventType = (int) number(p, path + ".type");
          } else {
            p.skipChildren();
          }
        }
        break;
      case "destination_names":
        strings(p, path, flow.destinationNames);
        break;
      case "l7":
        l7(p, path, flow);
        break;
      case "drop_reason_desc":
        flow.dropReason = enumeration(p, path, List.of());
        break;
      default:
        p.skipChildren();
    }
  }

  private static void ip(JsonParser p, String path, Flow flow) throws Problem, IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return;
    }
    expect(p, JsonToken.START_OBJECT, path);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      p.nextToken();
      switch (f) {
        case "source":
          flow.sourceIp = text(p, path + ".source");
          break;
        case "destination":
          flow.destinationIp = text(p, path + ".destination");
          break;
        default:
          p.skipChildren();
      }
    }
  }

  private static void l4(JsonParser p, String path, Flow flow) throws Problem, IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return;
    }
    expect(p, JsonToken.START_OBJECT, path);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String proto = p.currentName();
      p.nextToken();
      String at = path + "." + proto;
      switch (proto) {
        case "TCP":
        case "UDP":
        case "SCTP":
          flow.l4 = proto;
          if (p.currentToken() == JsonToken.VALUE_NULL) {
            break;
          }
          expect(p, JsonToken.START_OBJECT, at);
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
              case "source_port":
                flow.sourcePort = port(p, at + ".source_port");
                break;
              case "destination_port":
                flow.destinationPort = port(p, at + ".destination_port");
                break;
              case "flags":
                flags(p, at + ".flags", flow);
                break;
              default:
                p.skipChildren();
            }
          }
          break;
        case "ICMPv4":
        case "ICMPv6":
          flow.l4 = proto;
          p.skipChildren();
          break;
        default:
          p.skipChildren();
      }
    }
  }

  private static void flags(JsonParser p, String path, Flow flow) throws Problem, IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return;
    }
    expect(p, JsonToken.START_OBJECT, path);
    flow.tcpFlags = true;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      p.nextToken();
      switch (f) {
        case "SYN":
          flow.syn = bool(p, path + ".SYN");
          break;
        case "ACK":
          flow.ack = bool(p, path + ".ACK");
          break;
        default:
          p.skipChildren();
      }
    }
  }

  private void endpoint(JsonParser p, String path, Flow.Endpoint e) throws Problem, IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return;
    }
    expect(p, JsonToken.START_OBJECT, path);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      p.nextToken();
      switch (f) {
        case "namespace":
          e.namespace = text(p, path + ".namespace");
          break;
        case "labels":
          if (e.identity > 0 && knownIdentity.test(e.identity)) {
            p.skipChildren();
          } else {
            strings(p, path + ".labels", e.labels);
          }
          break;
        case "pod_name":
          e.podName = text(p, path + ".pod_name");
          break;
        case "identity":
          e.identity = number(p, path + ".identity");
          break;
        case "workloads":
          if (p.currentToken() == JsonToken.VALUE_NULL) {
            break;
          }
          expect(p, JsonToken.START_ARRAY, path + ".workloads");
          while (p.nextToken() == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String w = p.currentName();
              p.nextToken();
              if (w.equals("name") && e.workload.isEmpty()) {
                e.workload = text(p, path + ".workloads[].name");
              } else {
                p.skipChildren();
              }
            }
          }
          break;
        default:
          p.skipChildren();
      }
    }
  }

  private static void l7(JsonParser p, String path, Flow flow) throws Problem, IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return;
    }
    expect(p, JsonToken.START_OBJECT, path);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      p.nextToken();
      switch (f) {
        case "type":
          flow.l7Type = enumeration(p, path + ".type", L7_TYPES);
          break;
        case "dns":
          flow.dns = p.currentToken() != JsonToken.VALUE_NULL;
          p.skipChildren();
          break;
        case "http":
          if (p.currentToken() == JsonToken.VALUE_NULL) {
            break;
          }
          expect(p, JsonToken.START_OBJECT, path + ".http");
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String h = p.currentName();
            p.nextToken();
            if (h.equals("method")) {
              flow.httpMethod = text(p, path + ".http.method");
            } else if (h.equals("url")) {
              flow.httpUrl = text(p, path + ".http.url");
            } else {
              p.skipChildren();
            }
          }
          break;
        default:
          p.skipChildren();
      }
    }
  }
}
