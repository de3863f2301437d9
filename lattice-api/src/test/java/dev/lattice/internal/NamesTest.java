package dev.lattice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "api",
        "a-1",
        "0day",
        "x23456789012345678901234567890123456789012345678901234567890123"
      })
  void acceptsDnsLabels(String name) {
    assertThat(Names.dnsLabel("name", name)).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "-a",
        "a-",
        "A",
        "a_b",
        "a.b",
        "x234567890123456789012345678901234567890123456789012345678901234"
      })
  void rejectsNonLabels(String name) {
    assertThat(Names.dnsLabel("name", name)).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.0/8",
        "0.0.0.0/0",
        "203.0.113.7/32",
        "2001:db8::/32",
        "::/0",
        "fd16:9254:7127:1337:ffff:ffff:ffff:ffff/128",
        "::ffff:10.0.0.0/104"
      })
  void acceptsCanonicalCidrs(String cidr) {
    assertThat(Names.cidr(cidr)).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.0",
        "10.0.0.0/33",
        "10.0.0/8",
        "256.0.0.0/8",
        "01.0.0.0/8",
        "2001:db8::1::/64",
        "2001:db8::/129",
        "10.0.0.1/8",
        "2001:db8::1/32",
        "abc",
        "10.0.0.0/-1"
      })
  void rejectsOtherCidrs(String cidr) {
    assertThat(Names.cidr(cidr)).isNotNull();
  }

  @Test
  void cidrMessagesSayWhatToWrite() {
    assertThat(Names.cidr("10.0.0.1")).contains("write \"10.0.0.1/32\"");
    assertThat(Names.cidr("2001:db8::1")).contains("write \"2001:db8::1/128\"");
    assertThat(Names.cidr("2001:db8::1/32")).contains("2001:db8:0:0:0:0:0:0/32");
  }

  @ParameterizedTest
  @ValueSource(strings = {"api.stripe.com", "*.s3.amazonaws.com", "a.b"})
  void acceptsFqdns(String name) {
    assertThat(Names.fqdn(name)).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "localhost",
        "a..b",
        "api.*.com",
        "**.example.com",
        "a.b.",
        "-a.b",
        "Api.com",
        "10.0.0.1",
        "300.1.1.1"
      })
  void rejectsOtherNames(String name) {
    assertThat(Names.fqdn(name)).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/health", "/api/*", "*.png", "*"})
  void acceptsIstioPaths(String path) {
    assertThat(Names.httpPath(path)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "api", "/a/*/b", "**", "/a b", "/a*b"})
  void rejectsOtherPaths(String path) {
    assertThat(Names.httpPath(path)).isNotNull();
  }

  @Test
  void checksLabelSyntax() {
    assertThat(Names.labelKey("app.kubernetes.io/name")).isNull();
    assertThat(Names.labelKey("app")).isNull();
    assertThat(Names.labelKey("-app")).isNotNull();
    assertThat(Names.labelKey("Bad_Prefix/app")).isNotNull();
    assertThat(Names.labelValue("k", "")).isNull();
    assertThat(Names.labelValue("k", "v1.2_x")).isNull();
    assertThat(Names.labelValue("k", "a b")).isNotNull();
  }
}
