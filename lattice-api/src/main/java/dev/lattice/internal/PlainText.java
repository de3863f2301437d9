package dev.lattice.internal;

import com.fasterxml.jackson.databind.node.TextNode;

/**
 * A text node the YAML writer writes as it is: ASCII that {@link PlainScalars#isPlainSafe} accepts.
 * {@link CompactNodeFactory} decides once, when it makes the node, so the writer copies the text
 * into its buffer with no check. It is a {@link TextNode} in every other respect: equal to any text
 * node of the same text, the same hash code and JSON.
 */
public final class PlainText extends TextNode {
  private static final long serialVersionUID = 1L;

  PlainText(String text) {
    super(text);
  }
}
