package dev.lattice.internal;

import com.fasterxml.jackson.databind.node.TextNode;

/**
 * A text node the YAML writer writes in double quotes with nothing escaped: not {@link
 * PlainScalars#isPlainSafe plain-safe}, and printable ASCII other than {@code "} and {@code \}
 * (port numbers, {@code "*"}, reserved words). {@link CompactNodeFactory} decides once, when it
 * makes the node. It is a {@link TextNode} in every other respect.
 */
public final class QuotedText extends TextNode {
  private static final long serialVersionUID = 1L;

  QuotedText(String text) {
    super(text);
  }

  /**
   * Whether {@code s} needs no escape in double quotes: printable ASCII, no quote, no backslash.
   */
  static boolean isVerbatim(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }
}
