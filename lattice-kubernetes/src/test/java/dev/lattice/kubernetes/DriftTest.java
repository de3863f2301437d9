package dev.lattice.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@link Drift}: when a live object already holds what server-side apply would leave in it. */
class DriftTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String s) {
    try {
      return JSON.readTree(s.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static final JsonNode DESIRED =
      json(
          "{'apiVersion':'v1','kind':'X','metadata':{'name':'a','labels':{'app.kubernetes.io/managed-by':'lattice'}},"
              + "'spec':{'port':80,'rules':[{'from':['a']}]}}");

  @Test
  void ignoresWhatTheServerAndOthersAddedAndComparesNumbersByValue() {
    JsonNode live =
        json(
            "{'metadata':{'name':'a','uid':'u','resourceVersion':'7','labels':{'app.kubernetes.io/managed-by':'lattice','team':'x'}},"
                + "'spec':{'port':80.0,'rules':[{'from':['a'],'defaulted':true}],'family':'IPv4'},'status':{}}");
    assertThat(Drift.needsApply(DESIRED, live, "lattice")).isFalse();
  }

  @Test
  void seesAChangedValueAMissingLabelAndAListOfAnotherLength() {
    String base =
        "{'metadata':{'labels':{'app.kubernetes.io/managed-by':'lattice'}},'spec':{'port':80,'rules':[{'from':['a']}]}}";
    assertThat(Drift.needsApply(DESIRED, json(base.replace("80", "81")), "lattice")).isTrue();
    assertThat(Drift.needsApply(DESIRED, json(base.replace("'lattice'", "'kubectl'")), "lattice"))
        .isTrue();
    assertThat(Drift.needsApply(DESIRED, json(base.replace("['a']", "['a','b']")), "lattice"))
        .isTrue();
    assertThat(Drift.needsApply(DESIRED, json("{'metadata':{}}"), "lattice")).isTrue();
  }

  @Test
  void seesAFieldLatticeAppliedBeforeThatTheDocumentNoLongerHolds() {
    // lattice applied a label and spec.extra last time; the document now has neither
    String live =
        "{'metadata':{'labels':{'app.kubernetes.io/managed-by':'lattice','lattice.dev/old':'x'},"
            + "'managedFields':[{'manager':'lattice','operation':'Apply','fieldsV1':"
            + "{'f:metadata':{'f:labels':{'f:app.kubernetes.io/managed-by':{},%s}},"
            + "'f:spec':{'f:port':{},'f:rules':{}%s}}}]},"
            + "'spec':{'port':80,'rules':[{'from':['a']}],'extra':1}}";
    assertThat(Drift.needsApply(DESIRED, json(String.format(live, "'.':{}", "")), "lattice"))
        .isFalse();
    assertThat(
            Drift.needsApply(
                DESIRED, json(String.format(live, "'f:lattice.dev/old':{}", "")), "lattice"))
        .isTrue();
    assertThat(
            Drift.needsApply(
                DESIRED, json(String.format(live, "'.':{}", ",'f:extra':{}")), "lattice"))
        .isTrue();
    // another manager's fields are theirs: applying as lattice leaves them
    assertThat(
            Drift.needsApply(
                DESIRED,
                json(
                    String.format(live, "'f:lattice.dev/old':{}", "")
                        .replace("'lattice','operation'", "'kubectl','operation'")),
                "lattice"))
        .isFalse();
  }
}
