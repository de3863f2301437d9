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
        "0.0.0.0/1",
        "203.0.113.7/32",
        "2001:db8::/32",
        "::/1",
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

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0/0", "::/0"})
  void refusesTheWholeAddressSpaceNamingWorldAsTheFix(String cidr) {
    assertThat(Names.cidr(cidr)).contains("is every IP", "use world", "narrower range");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "api",
        "a-1",
        "web2",
        "x2345678901234567890123456789012345678901234567890123456789012"
      })
  void acceptsDns1035ServiceNames(String name) {
    assertThat(Names.serviceName("service name", name)).isNull();
  }

  @Test
  void refusesAServiceNameStartingWithADigitNamingTheFix() {
    assertThat(Names.serviceName("service name", "0day"))
        .contains("\"0day\" starts with a digit", "DNS-1035", "rename it, e.g. \"svc-0day\"");
    assertThat(Names.serviceName("service name", "9")).contains("starts with a digit");
    // still a DNS-1123 label, so namespaces (which may start with a digit) are unaffected
    assertThat(Names.dnsLabel("namespace", "0day")).isNull();
    assertThat(Names.serviceName("service name", "Api")).contains("not a DNS-1123 label");
    assertThat(Names.serviceName("service name", "")).contains("must not be empty");
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
