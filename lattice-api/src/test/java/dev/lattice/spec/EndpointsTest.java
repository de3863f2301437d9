package dev.lattice.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.model.Egress;
import dev.lattice.model.Protocol;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointsTest {

  @ParameterizedTest(name = "{0} -> {1} {2}:{3}/{4}")
  @CsvSource(
      delimiter = '|',
      value = {
        "https://api.stripe.com                 | FQDN   | api.stripe.com          | 443  | TCP",
        "https://api.stripe.com/v1/charges      | FQDN   | api.stripe.com          | 443  | TCP",
        "https://files.stripe.com:8443/v1?x=1#f | FQDN   | files.stripe.com        | 8443 | TCP",
        "https://user:secret@vault.example.com  | FQDN   | vault.example.com       | 443  | TCP",
        "HTTPS://api.example.com                | FQDN   | api.example.com         | 443  | TCP",
        "http://legacy.example.com              | FQDN   | legacy.example.com      | 80   | TCP",
        "http://legacy.example.com:8080/health  | FQDN   | legacy.example.com      | 8080 | TCP",
        "tcp://db.example.com:5432              | FQDN   | db.example.com          | 5432 | TCP",
        "udp://ntp.example.com:123              | FQDN   | ntp.example.com         | 123  | UDP",
        "grpc://grpc.example.com:50051          | FQDN   | grpc.example.com        | 50051| TCP",
        "redis.example.com:6379                 | FQDN   | redis.example.com       | 6379 | TCP",
        "*.s3.amazonaws.com:443                 | FQDN   | *.s3.amazonaws.com      | 443  | TCP",
        "10.1.2.3:5432                          | CIDR   | 10.1.2.3/32             | 5432 | TCP",
        "https://10.1.2.3                       | CIDR   | 10.1.2.3/32             | 443  | TCP",
        "[2001:db8::1]:443                      | CIDR   | 2001:db8::1/128         | 443  | TCP",
        "https://[2001:db8::1]:8443/x           | CIDR   | 2001:db8::1/128         | 8443 | TCP",
        "udp://[2001:db8::53]:53                | CIDR   | 2001:db8::53/128        | 53   | UDP",
        "10.0.0.0/8:5432                        | CIDR   | 10.0.0.0/8              | 5432 | TCP",
        "2001:db8::/32:443                      | CIDR   | 2001:db8::/32           | 443  | TCP",
        "::/0:443                               | CIDR   | ::/0                    | 443  | TCP",
      })
  void parsesEveryEndpointForm(
      String endpoint, String kind, String target, int port, Protocol protocol) {
    Endpoints.Parsed p = Endpoints.parse(endpoint);

    assertThat(p.problem()).isNull();
    assertThat(p.target())
        .isEqualTo(kind.equals("FQDN") ? new Egress.Fqdn(target) : new Egress.Cidr(target));
    assertThat(p.port()).isEqualTo(port);
    assertThat(p.protocol()).isEqualTo(protocol);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''                             | is empty",
        "api.stripe.com                 | has no port",
        "tcp://db.example.com           | has no port",
        "ftp://files.example.com        | scheme ftp://",
        "tcp://db.example.com:5432/db   | has a path",
        "api.example.com:https          | is not a number",
        "api.example.com:99999999999    | is not a number",
        "2001:db8::1:443                | without brackets",
        "[2001:db8::1:443               | never closes",
        "[10.0.0.1]:443                 | not an IPv6 address",
        "[2001:db8::1]443               | write [address]:port",
        "10.0.0.0/8                     | prefix length",
        "2001:db8::/32                  | prefix length",
        "db.internal/8:5432             | is not an IP address",
        "300.1.1.1:443                  | not a valid IPv4 address",
        ":443                           | has no host",
        "https://                       | has no host",
        "'api.example.com :443'         | a space",
      })
  void rejectsMalformedEndpointsSayingWhy(String endpoint, String problem) {
    Endpoints.Parsed p = Endpoints.parse(endpoint);

    assertThat(p.ok()).isFalse();
    assertThat(p.problem()).contains(problem);
  }

  @ParameterizedTest(name = "{0} -> {1}:{2}")
  @CsvSource({
    "entity:kube-apiserver:6443, kube-apiserver, 6443",
    "entity:world, world, 443",
    "entity:remote-node:10250, remote-node, 10250",
  })
  void parsesEntityIdsWithPort443ByDefault(String id, String entity, int port) {
    Endpoints.Parsed p = Endpoints.entity(id);

    assertThat(p.target()).isEqualTo(new Egress.Entity(entity));
    assertThat(p.port()).isEqualTo(port);
  }

  @ParameterizedTest
  @CsvSource({"entity:", "entity:world:https", "entity:a:1:2"})
  void rejectsMalformedEntityIds(String id) {
    assertThat(Endpoints.entity(id).ok()).isFalse();
  }
}
