package dev.lattice.dsl;

import dev.lattice.internal.Names;
import dev.lattice.model.Egress;
import dev.lattice.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An egress being described: {@code fqdn("api.stripe.com").port(443)}. Immutable: each step returns
 * a new rule.
 */
@CheckReturnValue
public final class EgressRule {
  private final Egress.Kind kind;
  private final String target;
  private final List<Integer> ports;
  private final Protocol protocol;

  private EgressRule(Egress.Kind kind, String target, List<Integer> ports, Protocol protocol) {
    this.kind = kind;
    this.target = target;
    this.ports = List.copyOf(ports);
    this.protocol = protocol;
  }

  static EgressRule fqdn(String name) {
    require(Names.fqdn(Objects.requireNonNull(name, "name")));
    return new EgressRule(Egress.Kind.FQDN, name, List.of(), Protocol.TCP);
  }

  static EgressRule cidr(String cidr) {
    require(Names.cidr(Objects.requireNonNull(cidr, "cidr")));
    return new EgressRule(Egress.Kind.CIDR, cidr, List.of(), Protocol.TCP);
  }

  static EgressRule entity(String name) {
    Objects.requireNonNull(name, "name");
    if (!Egress.ENTITIES.contains(name)) {
      throw new IllegalArgumentException(
          "\"" + name + "\" is not a supported entity; use one of " + Egress.ENTITIES);
    }
    return new EgressRule(Egress.Kind.ENTITY, name, List.of(), Protocol.TCP);
  }

  /**
   * Adds ports (without any, a CIDR or entity egress covers all ports; an FQDN needs one). A call
   * with no number is refused: it would leave the rule covering all ports.
   */
  public EgressRule port(int... numbers) {
    if (numbers.length == 0) {
      throw new IllegalArgumentException(
          "port() names no port for egress to "
              + target
              + "; name the ports, or leave out port() to cover all ports of a CIDR or entity");
    }
    List<Integer> all = new ArrayList<>(ports);
    for (int n : numbers) {
      require(Names.port("egress port of " + target, n));
      all.add(n);
    }
    return new EgressRule(kind, target, all, protocol);
  }

  /** The protocol of the ports (TCP unless set). */
  public EgressRule protocol(Protocol p) {
    return new EgressRule(kind, target, ports, Objects.requireNonNull(p, "protocol"));
  }

  /** Shorthand for {@code protocol(Protocol.UDP)}. */
  public EgressRule udp() {
    return protocol(Protocol.UDP);
  }

  /** The model value. */
  public Egress toEgress() {
    if (kind == Egress.Kind.FQDN && ports.isEmpty()) {
      throw new IllegalArgumentException(
          "egress to "
              + target
              + " names no port; add one, e.g. fqdn(\""
              + target
              + "\").port(443)");
    }
    return Egress.builder().kind(kind).target(target).addAllPorts(ports).protocol(protocol).build();
  }

  private static void require(String problem) {
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  @Override
  public String toString() {
    return toEgress().toString();
  }
}
