package dev.lattice.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Test helper: parses multi-document YAML (text blocks, or files under {@code verify/}) into
 * Jackson trees.
 */
public final class Docs {
  private static final YAMLMapper YAML = new YAMLMapper();

  private Docs() {}

  /** Every non-empty document of {@code yaml}. */
  public static List<JsonNode> yaml(String yaml) {
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      List<JsonNode> out = new ArrayList<>();
      while (it.hasNext()) {
        JsonNode n = it.next();
        if (n != null && !n.isNull() && !n.isMissingNode() && n.size() > 0) {
          out.add(n);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every document of the test resource {@code verify/<name>}. */
  public static List<JsonNode> resource(String name) {
    try (InputStream in = Docs.class.getResourceAsStream("/verify/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource verify/" + name);
      }
      return yaml(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
