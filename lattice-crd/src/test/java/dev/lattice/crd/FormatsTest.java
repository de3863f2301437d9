package dev.lattice.crd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FormatsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0.0.0.0/0",
        "10.0.0.0/8",
        "192.168.1.1/32",
        "::/0",
        "fd00::/8",
        "2001:db8::1/128",
        "::ffff:10.0.0.1/128",
        "010.0.0.0/8",
        "1:2:3:4:5:6:7:8/64",
        "1::8/64"
      })
  void acceptsCidrsKubernetesAccepts(String cidr) {
    assertThat(Formats.check("cidr", cidr)).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.0",
        "10.0.0.0/33",
        "10.0.0/8",
        "256.0.0.0/8",
        "::/129",
        "fd00:::/8",
        "1:2:3:4:5:6:7:8:9/64",
        "1::2::3/64",
        "10.0.0.0/",
        "10.0.0.0/8/8",
        "fe80::1%eth0/64",
        "x/8",
        " 10.0.0.0/8"
      })
  void rejectsMalformedCidrs(String cidr) {
    assertThat(Formats.check("cidr", cidr)).isNotNull();
  }

  @Test
  void distinguishesIpv4FromIpv6() {
    assertThat(Formats.check("ipv4", "1.2.3.4")).isNull();
    assertThat(Formats.check("ipv4", "::1")).isNotNull();
    assertThat(Formats.check("ipv6", "::1")).isNull();
    assertThat(Formats.check("ipv6", "::ffff:1.2.3.4")).isNull();
    assertThat(Formats.check("ipv6", "1.2.3.4")).isNotNull();
  }

  @Test
  void prefixContainment() {
    Formats.Prefix p = Formats.parseCidr("10.0.0.0/8");
    assertThat(p.contains(Formats.parseCidr("10.96.0.0/12"))).isTrue();
    assertThat(p.contains(Formats.parseCidr("11.0.0.0/12"))).isFalse();
    assertThat(p.contains(Formats.parseCidr("fd00::/8"))).isFalse();
  }

  @Test
  void leavesUncheckedFormatsAlone() {
    assertThat(Formats.check(Formats.normalize("idn-hostname"), "not a hostname!")).isNull();
    assertThat(Formats.isChecked(Formats.normalize("date-time"))).isTrue();
  }

  @Test
  void knowsCiliumServiceNames() {
    assertThat(CiliumChecks.isServiceName("http")).isTrue();
    assertThat(CiliumChecks.isServiceName("http-alt")).isTrue();
    assertThat(CiliumChecks.isServiceName("8080")).isFalse();
    assertThat(CiliumChecks.isServiceName("a--b")).isFalse();
    assertThat(CiliumChecks.isServiceName("a-very-long-name-x")).isFalse();
  }
}
