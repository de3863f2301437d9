package dev.lattice.spec;

import dev.lattice.internal.DidYouMean;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Small text helpers for messages: abbreviation and "did you mean" suggestions. */
final class Texts {
  private static final int MAX_SHOWN = 60;

  private Texts() {}

  /** {@code text} shortened to fit a message, with control characters made visible. */
  static String abbreviate(String text) {
    StringBuilder sb = new StringBuilder();
    int n = Math.min(text.length(), MAX_SHOWN);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < ' ' || c == 0x7f) {
        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (text.length() > MAX_SHOWN) {
      sb.append("...");
    }
    return sb.toString();
  }

  /** The candidate closest to {@code word}: {@link DidYouMean#closest}. */
  static Optional<String> closest(String word, Collection<String> candidates) {
    return DidYouMean.closest(word, candidates);
  }

  /** "; did you mean X?" or nothing. */
  static String didYouMean(String word, Collection<String> candidates) {
    return closest(word, candidates).map(c -> "; did you mean " + c + "?").orElse("");
  }
}
