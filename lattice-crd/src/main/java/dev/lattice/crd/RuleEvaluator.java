package dev.lattice.crd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.runtime.CelEvaluationException;

/**
 * The CEL half of validation: evaluates the {@code x-kubernetes-validations} rules that {@link
 * SchemaValidator} met during its schema walk, once the walk is over, with the API server's
 * messages and its rule that a blocking schema error skips CEL validation as a whole.
 */
final class RuleEvaluator {
  private RuleEvaluator() {}

  /**
   * Evaluates the CEL rules met during the schema walk. As in Kubernetes ({@code
   * customResourceStrategy.Validate}, {@code hasBlockingErr}), a {@code type}, {@code required},
   * {@code enum}, {@code maxLength}, {@code maxItems} or {@code maxProperties} error anywhere in
   * the object blocks CEL validation as a whole, with one note saying so.
   */
  static void evaluateRules(Report r) {
    if (r.pendingRules().isEmpty()) {
      return;
    }
    if (r.celBlocked()) {
      r.add(
          FieldPath.ROOT,
          Report.CEL,
          "some validation rules were not checked because the object was invalid; "
              + "correct the existing errors to complete validation");
      return;
    }
    for (Report.Pending pending : r.pendingRules()) {
      cel(pending.schema, pending.value, pending.path, r);
    }
  }

  private static void cel(Schema s, JsonNode v, FieldPath p, Report r) {
    Object self = null;
    for (CelRule rule : s.rules) {
      if (rule.isTransitionRule()) {
        continue; // needs oldSelf: only on update, never on create
      }
      if (self == null) {
        self = CelValues.toCel(s, v);
      }
      Object result;
      try {
        result = rule.program.eval(self);
      } catch (CelEvaluationException e) {
        // Kubernetes rejects the object too, naming the error and the rule's message.
        r.add(
            p,
            Report.CEL,
            rule.staticMessage()
                + " (rule could not be evaluated: "
                + e.getMessage()
                + "; rule: "
                + rule.rule
                + ")");
        continue;
      }
      if (Boolean.TRUE.equals(result)) {
        continue;
      }
      FieldPath target = p;
      for (CelRule.Segment segment : rule.fieldPath) {
        target = segment.apply(target);
      }
      if (!(result instanceof Boolean)) {
        r.add(
            target,
            Report.CEL,
            "rule " + Json.quote(rule.rule) + " yielded " + result + ", not a bool");
        continue;
      }
      r.add(target, Report.CEL, message(rule, self) + " (rule: " + rule.rule + ")");
    }
  }

  private static String message(CelRule rule, Object self) {
    if (rule.messageExpression != null) {
      try {
        Object m = rule.messageExpression.eval(self);
        // Kubernetes falls back when the expression yields an empty or multi-line string.
        if (m instanceof String text && !text.isBlank() && text.indexOf('\n') < 0) {
          return text;
        }
      } catch (CelEvaluationException e) {
        // fall back to the static message, as Kubernetes does
      }
    }
    return rule.staticMessage();
  }
}
