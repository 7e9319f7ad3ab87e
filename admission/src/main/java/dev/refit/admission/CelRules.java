package dev.refit.admission;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Compiles and runs CRD validation rules with cel-java, configured like the Kubernetes API server's
 * environment for the parts the rules use: standard macros, the strings extension, and {@code self}
 * bound to the value the rule sits on.
 */
final class CelRules {

  /** Why a rule did not pass: it returned false, or it could not be evaluated. */
  record Failure(String evaluationError) {
    String describe(String message) {
      return evaluationError == null
          ? message
          : message + " (evaluation error: " + evaluationError + ")";
    }
  }

  private final Cel cel =
      CelFactory.standardCelBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .addCompilerLibraries(CelExtensions.strings())
          .addRuntimeLibraries(CelExtensions.strings())
          .build();

  private final Map<String, CelRuntime.Program> programs = new HashMap<>();

  /** Compiles a rule; throws with the CEL error when it is not a valid expression. */
  void compile(String rule) {
    programs.computeIfAbsent(
        rule,
        r -> {
          try {
            CelAbstractSyntaxTree ast = cel.compile(r).getAst();
            return cel.createProgram(ast);
          } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalArgumentException(
                "CEL rule does not compile: " + r + "\n" + e.getMessage(), e);
          }
        });
  }

  int size() {
    return programs.size();
  }

  /** Empty when the rule holds for {@code self}. */
  Optional<Failure> evaluate(String rule, Object self) {
    compile(rule);
    try {
      Object result = programs.get(rule).eval(Map.of("self", self));
      return Boolean.TRUE.equals(result) ? Optional.empty() : Optional.of(new Failure(null));
    } catch (CelEvaluationException e) {
      return Optional.of(new Failure(e.getMessage()));
    }
  }
}
