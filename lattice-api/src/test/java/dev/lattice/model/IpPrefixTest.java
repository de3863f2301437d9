package dev.lattice.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpPrefixTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.0/8",
        "192.168.7.9/32",
        "0.0.0.0/0",
        "2001:db8::/32",
        "::/0",
        "::1/128",
        "fd16:9254:7127:1337:ffff:ffff:ffff:ffff/128",
        "::ffff:10.0.0.0/104",
        "2001:DB8::/32"
      })
  void parsesCidrsAsCiliumAndIstioDo(String cidr) {
    assertThat(IpPrefix.tryParse(cidr)).isPresent();
    assertThat(IpPrefix.parse(cidr)).hasToString(cidr);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "10.0.0.0",
        "10.0.0.0/",
        "10.0.0.0/33",
        "2001:db8::/129",
        "010.0.0.0/8",
        "10.0.0/8",
        "10.0.0.256/32",
        "1:2:3:4:5:6:7:8:9/64",
        "1::2::3/64",
        "fe80::1%eth0/64",
        "10.0.0.0/8/8",
        "10.0.0.0/+8",
        "\u0661\u0660.0.0.0/8",
        "10.0.0.0/\u0668",
        "::ffff:10.0.0/104"
      })
  void refusesWhatIsNotACidr(String text) {
    assertThat(IpPrefix.tryParse(text)).isEmpty();
    assertThatThrownBy(() -> IpPrefix.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a CIDR");
  }

  @Test
  void readsABareAddressAsItsOwnRangeOnlyWhenAskedTo() {
    assertThat(IpPrefix.tryParse("10.1.2.3")).isEmpty();
    assertThat(IpPrefix.tryParseRange("10.1.2.3").orElseThrow().length()).isEqualTo(32);
    assertThat(IpPrefix.tryParseRange("2001:db8::1").orElseThrow().length()).isEqualTo(128);
    assertThat(IpPrefix.tryParseRange("10.0.0.0/8")).contains(IpPrefix.parse("10.0.0.0/8"));
    assertThatThrownBy(() -> IpPrefix.parseRange("web"))
        .hasMessage("\"web\" is not an IP address or CIDR");
    assertThat(IpPrefix.isAddress("10.1.2.3")).isTrue();
    assertThat(IpPrefix.isAddress("10.1.2.3/32")).isFalse();
    assertThat(IpPrefix.isAddress("10.1.2")).isFalse();
  }

  @Test
  void containsTheAddressesOfItsRangeAndFamily() {
    IpPrefix p = IpPrefix.parse("10.0.0.0/8");

    assertThat(p.contains("10.255.1.2")).isTrue();
    assertThat(p.contains("11.0.0.0")).isFalse();
    assertThat(p.contains("::ffff:10.0.0.1")).isFalse();
    assertThat(p.contains("10.0.0.0/8")).isFalse();
    assertThat(IpPrefix.parse("2001:db8::/32").contains("2001:db8:ffff::1")).isTrue();
    assertThat(IpPrefix.parse("0.0.0.0/0").contains("203.0.113.7")).isTrue();
  }

  @Test
  void coversNarrowerRangesOfTheSameFamily() {
    IpPrefix p = IpPrefix.parse("10.0.0.0/8");

    assertThat(p.covers(IpPrefix.parse("10.96.0.0/12"))).isTrue();
    assertThat(p.covers(IpPrefix.parse("10.0.0.0/8"))).isTrue();
    assertThat(p.covers(IpPrefix.parse("10.0.0.0/7"))).isFalse();
    assertThat(p.covers(IpPrefix.parse("11.0.0.0/12"))).isFalse();
    assertThat(IpPrefix.parse("::/0").covers(p)).isFalse();
  }

  @Test
  void knowsItsNetworkAndHostBits() {
    IpPrefix p = IpPrefix.parse("10.1.2.3/8");

    assertThat(p.hasHostBits()).isTrue();
    assertThat(p.network()).isEqualTo("10.0.0.0");
    assertThat(IpPrefix.parse("10.0.0.0/8").hasHostBits()).isFalse();
    assertThat(IpPrefix.parse("2001:db8::1/32").network()).isEqualTo("2001:db8:0:0:0:0:0:0");
    assertThat(p).isEqualTo(IpPrefix.parse("10.0.0.0/8"));
    assertThat(p.hashCode()).isEqualTo(IpPrefix.parse("10.0.0.0/8").hashCode());
    assertThat(p).isNotEqualTo(IpPrefix.parse("10.0.0.0/9"));
  }

  @Test
  void countsAddressesFromTheNetworkAddress() {
    assertThat(IpPrefix.parse("10.244.0.0/16").addressAt(10)).isEqualTo("10.244.0.10");
    assertThat(IpPrefix.parse("10.244.0.0/16").addressAt(300)).isEqualTo("10.244.1.44");
    assertThat(IpPrefix.parse("10.1.2.3/16").addressAt(0)).isEqualTo("10.1.0.0");
    assertThat(IpPrefix.parse("fd00::/8").addressAt(1)).isEqualTo("fd00:0:0:0:0:0:0:1");
  }
}
