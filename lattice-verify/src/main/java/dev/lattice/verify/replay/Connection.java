package dev.lattice.verify.replay;

import dev.lattice.model.Protocol;
import dev.lattice.model.ServiceId;

/**
 * A distinct connection a replay tallies and judges once: the key its flows are counted under. Its
 * four kinds are judged apart — between declared services, from outside the graph, out of the
 * graph, and between ends the graph does not declare.
 */
sealed interface Connection {
  /** The destination port the flows show. */
  int port();

  /** The transport the flows show. */
  Protocol protocol();

  /** A service calling a service: what the flows show, and the caller's observed account. */
  record Call(
      ServiceId from,
      String account,
      ServiceId to,
      int port,
      Protocol protocol,
      String method,
      String path)
      implements Connection {}

  /** An outside source calling a service; {@code cls} names the source and its CIDR class. */
  record Inbound(Party.Kind source, String cls, ServiceId to, int port, Protocol protocol)
      implements Connection {}

  /** A service calling out of the graph; {@code cls} names the destination class. */
  record Outbound(ServiceId from, Party.Kind kind, String cls, int port, Protocol protocol)
      implements Connection {}

  /** Anything else: ends the graph does not declare. */
  record Other(String from, String to, int port, Protocol protocol, String reason)
      implements Connection {}
}
