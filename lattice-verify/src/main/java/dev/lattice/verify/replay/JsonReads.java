package dev.lattice.verify.replay;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lattice.verify.replay.FlowParser.Problem;
import java.io.IOException;
import java.util.List;

/**
 * The typed readers {@link FlowParser} reads a Hubble flow's fields with: each checks the current
 * token's shape and reports a wrong one as a {@link Problem} naming the field's path.
 */
final class JsonReads {
  private JsonReads() {}

  static String firstLine(String s) {
    String t = s == null ? "" : s;
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl);
  }

  static Problem problem(JsonParser p, String message) {
    return new Problem(p.currentLocation().getColumnNr(), message);
  }

  static void expect(JsonParser p, JsonToken want, String path) throws Problem {
    if (p.currentToken() != want) {
      throw problem(
          p,
          path
              + " must be "
              + (want == JsonToken.START_OBJECT ? "an object" : "a list")
              + ", got "
              + describe(p.currentToken()));
    }
  }

  static String describe(JsonToken t) {
    if (t == null) {
      return "nothing";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "a list";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.toString();
    };
  }

  static String text(JsonParser p, String path) throws Problem, IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return "";
    }
    if (t != JsonToken.VALUE_STRING) {
      throw problem(p, path + " must be a string, got " + describe(t));
    }
    return p.getText();
  }

  static long number(JsonParser p, String path) throws Problem, IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return 0;
    }
    if (t == JsonToken.VALUE_NUMBER_INT) {
      return p.getLongValue();
    }
    // protojson writes 64-bit integers as strings
    if (t == JsonToken.VALUE_STRING) {
      try {
        return Long.parseLong(p.getText());
      } catch (NumberFormatException e) {
        throw problem(p, path + " must be a number, got \"" + p.getText() + "\"");
      }
    }
    throw problem(p, path + " must be a number, got " + describe(t));
  }

  static int port(JsonParser p, String path) throws Problem, IOException {
    long n = number(p, path);
    if (n < 0 || n > 65535) {
      throw problem(p, path + " must be a port 0..65535, got " + n);
    }
    return (int) n;
  }

  static boolean bool(JsonParser p, String path) throws Problem, IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
      return t == JsonToken.VALUE_TRUE;
    }
    if (t == JsonToken.VALUE_NULL) {
      return false;
    }
    throw problem(p, path + " must be true or false, got " + describe(t));
  }

  /** An enum written as its name or its number. */
  static String enumeration(JsonParser p, String path, List<String> names)
      throws Problem, IOException {
    if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
      int n = p.getIntValue();
      return n >= 0 && n < names.size() ? names.get(n) : String.valueOf(n);
    }
    return text(p, path);
  }

  static void strings(JsonParser p, String path, List<String> out) throws Problem, IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return;
    }
    expect(p, JsonToken.START_ARRAY, path);
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.VALUE_STRING) {
        throw problem(p, path + " must be a list of strings, got " + describe(t) + " in it");
      }
      out.add(p.getText());
    }
  }
}
