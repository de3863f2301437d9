package dev.lattice.verify.replay;

import java.io.IOException;
import java.io.InputStream;

/**
 * The lines of a stream, one at a time, in a buffer reused from line to line: memory stays bounded
 * by the longest line, whatever the stream's length. Lines end at {@code \n} (a preceding {@code
 * \r} is dropped); a UTF-8 byte-order mark at the start is skipped.
 */
final class FlowLines {
  /** The longest line read; a Hubble flow is a few KiB. */
  static final int MAX_LINE = 1 << 20;

  private final InputStream in;
  private final byte[] chunk = new byte[1 << 16];
  private int chunkPos;
  private int chunkLen;
  private byte[] line = new byte[1 << 12];
  private int lineLen;
  private long number;
  private long bytes;
  private boolean tooLong;

  FlowLines(InputStream in) {
    this.in = in;
  }

  /** Reads the next line; false at the end of the stream. */
  boolean next() throws IOException {
    lineLen = 0;
    tooLong = false;
    boolean any = false;
    while (true) {
      if (chunkPos == chunkLen) {
        chunkLen = in.read(chunk);
        chunkPos = 0;
        if (chunkLen <= 0) {
          chunkLen = 0;
          if (!any) {
            return false;
          }
          break;
        }
        bytes += chunkLen;
      }
      any = true;
      int start = chunkPos;
      int end = start;
      while (end < chunkLen && chunk[end] != '\n') {
        end++;
      }
      append(start, end - start);
      if (end < chunkLen) {
        chunkPos = end + 1;
        break;
      }
      chunkPos = chunkLen;
    }
    number++;
    if (lineLen > 0 && line[lineLen - 1] == '\r') {
      lineLen--;
    }
    if (number == 1
        && lineLen >= 3
        && (line[0] & 0xff) == 0xEF
        && (line[1] & 0xff) == 0xBB
        && (line[2] & 0xff) == 0xBF) {
      System.arraycopy(line, 3, line, 0, lineLen - 3);
      lineLen -= 3;
    }
    return true;
  }

  private void append(int from, int n) {
    if (tooLong || n == 0) {
      return;
    }
    if (lineLen + n > MAX_LINE) {
      tooLong = true;
      return;
    }
    if (lineLen + n > line.length) {
      byte[] bigger = new byte[Math.min(MAX_LINE, Math.max(line.length * 2, lineLen + n))];
      System.arraycopy(line, 0, bigger, 0, lineLen);
      line = bigger;
    }
    System.arraycopy(chunk, from, line, lineLen, n);
    lineLen += n;
  }

  /** The current line's bytes (valid up to {@link #length()}, until the next call). */
  byte[] buffer() {
    return line;
  }

  /** The current line's length in bytes. */
  int length() {
    return lineLen;
  }

  /** Whether the current line was longer than {@link #MAX_LINE} (its bytes are incomplete). */
  boolean tooLong() {
    return tooLong;
  }

  /** The 1-based number of the current line. */
  long number() {
    return number;
  }

  /** The bytes read so far. */
  long bytesRead() {
    return bytes;
  }

  /** Whether the current line holds only white space. */
  boolean isBlank() {
    for (int i = 0; i < lineLen; i++) {
      byte b = line[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }
}
