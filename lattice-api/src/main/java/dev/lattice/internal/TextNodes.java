package dev.lattice.internal;

import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The text nodes of {@link CompactNodeFactory}, classified once for the YAML writer: a {@link
 * PlainText} it copies as it is, a {@link QuotedText} it copies between quotes, or a plain {@link
 * TextNode} it checks and escapes as it writes.
 *
 * <p>Sharing one node per value (a direct-mapped table of 65,536 nodes, safe between the two
 * renderers' threads) took 70 MB off the 50,000-service heap, but each hit read a node and a string
 * long out of the cache: the Cilium render took 40% more CPU. The nodes are made fresh instead.
 */
final class TextNodes {
  private TextNodes() {}

  /** The node of {@code text}; {@code null} for {@code null}, as Jackson's own factory. */
  static TextNode of(String text) {
    if (text == null || text.isEmpty()) {
      return TextNode.valueOf(text);
    }
    if (PlainScalars.isPlainSafe(text)) {
      return new PlainText(text);
    }
    return QuotedText.isVerbatim(text) ? new QuotedText(text) : new TextNode(text);
  }
}
