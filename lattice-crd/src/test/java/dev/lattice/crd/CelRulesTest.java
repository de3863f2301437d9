package dev.lattice.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class CelRulesTest {

  /**
   * Every x-kubernetes-validations rule found by walking the raw YAML, independently of the loader.
   */
  private static List<String> rulesIn(Path dir) throws IOException {
    List<String> rules = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f :
          files.filter(p -> p.toString().endsWith(".yaml")).sorted().collect(Collectors.toList())) {
        for (JsonNode doc : Documents.yamlDocuments(f)) {
          collect(doc, rules);
        }
      }
    }
    return rules;
  }

  private static void collect(JsonNode node, List<String> rules) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (e.getKey().equals("x-kubernetes-validations") && e.getValue().isArray()) {
          for (JsonNode rule : e.getValue()) {
            rules.add(rule.get("rule").asText());
          }
        } else {
          collect(e.getValue(), rules);
        }
      }
    } else if (node.isArray()) {
      for (JsonNode item : node) {
        collect(item, rules);
      }
    }
  }

  @Test
  void compilesEveryRuleOfEveryUpstreamCrd() throws IOException {
    CrdConformance crds = Documents.upstream();
    List<String> rules = rulesIn(crds.directory());
    KubernetesCel cel = KubernetesCel.create();
    List<String> failures = new ArrayList<>();
    for (String rule : rules) {
      KubernetesCel.Compiled compiled = cel.compileRule(rule);
      if (compiled.error != null) {
        failures.add(rule + "\n    " + compiled.error);
      }
    }
    assertThat(failures).as("rules that do not compile").isEmpty();
    // The loader compiled (and would have thrown on) exactly the same rules: none skipped.
    assertThat(rules).hasSizeGreaterThan(50);
    assertThat(crds.ruleCount()).isEqualTo(rules.size());
    assertThat(crds.transitionRuleCount()).isZero();
    System.out.println(
        "CEL rules compiled from "
            + crds.directory()
            + ": "
            + rules.size()
            + " ("
            + rules.stream().distinct().count()
            + " distinct)");
  }

  @Test
  void refusesToLoadCrdsItCannotCheckFaithfully() {
    assertThatThrownBy(() -> CrdConformance.load(Documents.resource("broken")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("broken.yaml:v1.spec/x-kubernetes-validations[0]")
        .hasMessageContaining("\"self.size() >\" does not compile")
        .hasMessageContaining("\"self.noSuchFunction()\" does not compile")
        .hasMessageContaining("unsupported schema keyword 'x-lattice-unknown'")
        .hasMessageContaining("is not valid RE2")
        .hasMessageContaining("4 problems");
  }

  @Test
  void refusesAMissingDirectoryNamingIt() {
    Path missing = Path.of("no/such/crds");
    assertThatThrownBy(() -> CrdConformance.load(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing.toAbsolutePath().normalize().toString())
        .hasMessageContaining("does not exist");
  }
}
