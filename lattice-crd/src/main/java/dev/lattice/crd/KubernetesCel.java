package dev.lattice.crd;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelReference;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.Map;

/**
 * The CEL environment Kubernetes gives {@code x-kubernetes-validations} rules, as far as the
 * checked-in CRDs need it.
 *
 * <p>Kubernetes compiles rules against cel-go's standard library plus: the {@code strings}
 * extension (version 2: {@code split}, {@code substring}, {@code lowerAscii}, {@code join}, {@code
 * replace}, {@code indexOf}, {@code trim}, ...), the {@code sets} extension, optional types,
 * cross-type numeric comparisons, and its own libraries ({@code isURL}/{@code url}, {@code
 * isIP}/{@code ip}, {@code cidr}, {@code quantity}, {@code format}, regex {@code find}, list {@code
 * indexOf}/{@code sum}/{@code isSorted}, ...). See
 * https://kubernetes.io/docs/reference/using-api/cel/. This environment provides the first four
 * through CEL-Java's equivalents. None of the rules in the CRDs this project checks against uses a
 * Kubernetes-only function (every rule there needs only the standard library, {@code split} and
 * {@code substring}), so those are not implemented: a future rule that needs one fails to compile,
 * and compilation failures make {@link CrdConformance#load} throw — never a silent skip.
 *
 * <p>{@code self} and {@code oldSelf} are declared {@code dyn}: field access is resolved at run
 * time against the converted value, which gives Kubernetes' behaviour for present fields, and the
 * same "no such key" evaluation error for absent ones (rules guard those with {@code has()}).
 */
final class KubernetesCel {
  private final Cel ruleCel;
  private final Cel messageCel;

  private KubernetesCel() {
    CelOptions options =
        CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .enableOptionalSyntax(true)
            .build();
    this.ruleCel = build(options, SimpleType.BOOL);
    this.messageCel = build(options, SimpleType.STRING);
  }

  static KubernetesCel create() {
    return new KubernetesCel();
  }

  private static Cel build(CelOptions options, CelType resultType) {
    return CelFactory.standardCelBuilder()
        .setOptions(options)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addCompilerLibraries(
            CelExtensions.strings(), CelExtensions.sets(options), CelExtensions.optional())
        .addRuntimeLibraries(
            CelExtensions.strings(), CelExtensions.sets(options), CelExtensions.optional())
        .addVar("self", SimpleType.DYN)
        .addVar("oldSelf", SimpleType.DYN)
        .setResultType(resultType)
        .build();
  }

  /** A compiled expression, or the compiler's complaint. */
  static final class Compiled {
    final CelRuntime.Program program;
    final boolean usesOldSelf;
    final String error;

    private Compiled(CelRuntime.Program program, boolean usesOldSelf, String error) {
      this.program = program;
      this.usesOldSelf = usesOldSelf;
      this.error = error;
    }

    Object eval(Object self) throws CelEvaluationException {
      return program.eval(Map.of("self", self));
    }
  }

  /** Compiles a rule (must yield bool). */
  Compiled compileRule(String expression) {
    return compile(ruleCel, expression);
  }

  /** Compiles a messageExpression (must yield string). */
  Compiled compileMessage(String expression) {
    return compile(messageCel, expression);
  }

  private static Compiled compile(Cel cel, String expression) {
    CelValidationResult result = cel.compile(expression);
    if (result.hasError()) {
      return new Compiled(null, false, result.getErrorString());
    }
    try {
      CelAbstractSyntaxTree ast = result.getAst();
      boolean usesOldSelf = false;
      for (CelReference ref : ast.getReferenceMap().values()) {
        if ("oldSelf".equals(ref.name())) {
          usesOldSelf = true;
        }
      }
      return new Compiled(cel.createProgram(ast), usesOldSelf, null);
    } catch (CelValidationException | CelEvaluationException e) {
      return new Compiled(null, false, e.getMessage());
    }
  }
}
