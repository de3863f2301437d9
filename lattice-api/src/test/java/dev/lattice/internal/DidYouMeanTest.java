package dev.lattice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The one did-you-mean rule. Where the spec reader's rule (case-insensitive, neighbour swaps count
 * one edit, fewer edits than half the letters) and the resolver's old rule (case-sensitive,
 * Levenshtein, any two edits) differed, the spec reader's won: the cases below are the ones the
 * resolver's rule got wrong.
 */
class DidYouMeanTest {
  @Test
  void suggestsAWordWithinTwoEdits() {
    assertThat(DidYouMean.closest("direciton", List.of("port", "direction", "peers")))
        .contains("direction");
    assertThat(DidYouMean.closest("dbx", List.of("web", "db", "cache"))).contains("db");
  }

  @Test
  void aSwapOfNeighboursIsOneEdit() {
    // two swaps: four Levenshtein edits, two optimal-string-alignment edits
    assertThat(DidYouMean.distance("acceh", "cache", 3)).isEqualTo(2);
    assertThat(DidYouMean.closest("acceh", List.of("db", "cache"))).contains("cache");
  }

  @Test
  void lettersAreComparedWithoutRegardToCase() {
    assertThat(DidYouMean.closest("latticeservice", List.of("LatticeService", "LatticeJob")))
        .contains("LatticeService");
  }

  @Test
  void aShortWordIsNotTakenForATypoOfAnother() {
    // one edit of two letters is a different word, not a typo: the resolver used to suggest db
    assertThat(DidYouMean.closest("ab", List.of("db"))).isEmpty();
    assertThat(DidYouMean.closest("abc", List.of("abd"))).contains("abd");
    assertThat(DidYouMean.closest("x", List.of("y", "x"))).contains("x");
  }

  @Test
  void nothingIsSuggestedBeyondTwoEdits() {
    assertThat(DidYouMean.closest("zzzzzz", List.of("direction"))).isEmpty();
    assertThat(DidYouMean.closest("directionxyz", List.of("direction"))).isEmpty();
    assertThat(DidYouMean.closest("anything", List.of())).isEmpty();
  }

  @Test
  void theFirstOfEquallyCloseCandidatesWins() {
    assertThat(DidYouMean.closest("dbx", List.of("dby", "dbz"))).contains("dby");
    assertThat(DidYouMean.closest("dbx", List.of("dbz", "dby"))).contains("dbz");
  }

  @Test
  void longWordsAreOnlyComparedForEquality() {
    String longWord = "a".repeat(65);
    assertThat(DidYouMean.distance(longWord, longWord + "b", 3)).isEqualTo(3);
    assertThat(DidYouMean.distance(longWord, longWord, 3)).isZero();
  }

  @Test
  void onlyTheFirstCandidatesAreCompared() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < DidYouMean.MAX_CANDIDATES; i++) {
      names.add("unrelated-" + i);
    }
    names.add("payments");
    assertThat(DidYouMean.closest("paymnets", names)).isEqualTo(Optional.empty());
    assertThat(DidYouMean.closest("paymnets", names.subList(1, names.size()))).contains("payments");
  }
}
