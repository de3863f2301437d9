package dev.lattice.graph;

import static dev.lattice.dsl.Lattice.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The unknown-service hint follows the one did-you-mean rule of the spec reader. */
class UnknownServiceHintTest {
  private static String hint(String missing, String... known) {
    ServiceGraph.Builder b = ServiceGraph.builder().namespace("shop");
    b.add(service("caller").dependsOn(missing).outbound());
    for (String k : known) {
      b.add(service(k).port("http", 8080));
    }
    List<Diagnostic> found =
        b.build().resolve().diagnostics().stream()
            .filter(d -> d.code() == DiagnosticCode.UNKNOWN_SERVICE)
            .toList();
    assertThat(found).hasSize(1);
    return found.get(0).message();
  }

  @Test
  void twoSwappedPairsOfLettersStillSuggestTheName() {
    // Levenshtein counts four edits here, and the resolver's old rule suggested nothing
    assertThat(hint("acceh", "cache", "db")).contains("(did you mean shop/cache? known services");
  }

  @Test
  void aTwoLetterNameOneEditAwayIsNotSuggested() {
    // the resolver's old rule suggested shop/db for shop/ab: a different word, not a typo
    assertThat(hint("ab", "db", "web"))
        .doesNotContain("did you mean")
        .contains("(known services in shop: caller, db, web)");
  }
}
