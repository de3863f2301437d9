package dev.lattice.cilium;

import dev.lattice.testkit.Corpus;
import dev.lattice.testkit.Golden;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the golden corpus ({@link Corpus}, {@code golden/<case>/} at the repository root):
 * its {@code input.yaml}, rendered, equals its {@code cilium.yaml}.
 */
class CiliumRendererGoldenTest {
  /** The one case rendered with a Cilium option: the nodes' DNS search domain of EC2. */
  static final String NODE_SEARCH_DOMAIN_CASE = "dns-node-search-domains";

  static final CiliumOptions EC2 = CiliumOptions.builder().nodeSearchDomain("ec2.internal").build();

  static Stream<String> cases() {
    return Corpus.cases().stream();
  }

  /** The options case {@code c} is rendered with. */
  static CiliumOptions options(String c) {
    return c.equals(NODE_SEARCH_DOMAIN_CASE) ? EC2 : CiliumOptions.defaults();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rendersTheGoldenFile(String c) {
    String yaml = CiliumRenderer.create(options(c)).render(Corpus.topology(c)).toYaml();
    Golden.assertMatches(Corpus.file(c, Corpus.CILIUM), yaml);
  }
}
