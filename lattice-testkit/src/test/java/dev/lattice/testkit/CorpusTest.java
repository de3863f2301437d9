package dev.lattice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.model.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CorpusTest {
  static Stream<String> cases() {
    return Corpus.cases().stream();
  }

  @Test
  void theCorpusHoldsTheCasesOfBothRenderers() {
    assertThat(Corpus.cases()).hasSizeGreaterThan(30).contains("one-agreement", "kitchen-sink");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyCaseHasItsInputAndBothLayersAndNothingElse(String c) throws IOException {
    try (Stream<Path> files = Files.list(Corpus.ROOT.resolve(c))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(Corpus.INPUT, Corpus.CILIUM, Corpus.ISTIO);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyInputLoadsAndResolvesWithoutErrors(String c) {
    assertThat(Corpus.topology(c).services()).isNotEmpty();
  }

  @Test
  void everyCaseWithSettingsExistsAndSaysSoInItsInput() throws IOException {
    assertThat(Corpus.casesWithSettings()).isNotEmpty();
    for (String c : Corpus.casesWithSettings()) {
      assertThat(Corpus.cases()).contains(c);
      assertThat(Corpus.settings(c)).isNotEqualTo(Settings.defaults());
      // the input's opening comment names the setting, so a reader of the corpus sees it
      assertThat(Files.readString(Corpus.file(c, Corpus.INPUT), StandardCharsets.UTF_8))
          .as(c)
          .containsPattern("\\A(#[^\\n]*\\n)*#[^\\n]*(setting|--)");
    }
  }
}
