package dev.refit.chart;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A rendered ValidatingAdmissionPolicy judged as the API server judges a request: the policy
 * applies only if every match condition holds; then each validation must return true, else the
 * request is denied with the validation's message (or its messageExpression). An expression that
 * cannot be evaluated denies too, as {@code failurePolicy: Fail} says. The expressions run in
 * cel-java with the variables the API server binds ({@code request}, {@code object}, {@code
 * oldObject}) and the standard macros and string extension; Kubernetes' own CEL libraries are not
 * used by the policy.
 */
final class AdmissionPolicy {

  private final Cel cel =
      CelFactory.standardCelBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("request", SimpleType.DYN)
          .addVar("object", SimpleType.DYN)
          .addVar("oldObject", SimpleType.DYN)
          .addCompilerLibraries(CelExtensions.strings())
          .addRuntimeLibraries(CelExtensions.strings())
          .build();

  private final List<Map<String, Object>> matchConditions;
  private final List<Map<String, Object>> validations;

  AdmissionPolicy(Map<String, Object> policy) {
    this.matchConditions = Maps.list(policy, "spec", "matchConditions");
    this.validations = Maps.list(policy, "spec", "validations");
  }

  /** Every expression of the policy, for a compile check. */
  List<String> expressions() {
    List<String> all = new ArrayList<>();
    matchConditions.forEach(c -> all.add((String) c.get("expression")));
    validations.forEach(
        v -> {
          all.add((String) v.get("expression"));
          if (v.get("messageExpression") != null) {
            all.add((String) v.get("messageExpression"));
          }
        });
    return all;
  }

  /** Compiles an expression; throws if it does not. */
  CelRuntime.Program compile(String expression) {
    try {
      return cel.createProgram(cel.compile(expression).getAst());
    } catch (CelValidationException | CelEvaluationException e) {
      throw new AssertionError("does not compile: " + expression + ": " + e.getMessage(), e);
    }
  }

  /** Empty when the request is admitted; otherwise why it is denied. */
  Optional<String> judge(Map<String, Object> request, Object object, Object oldObject) {
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("request", toCel(request));
    variables.put("object", toCel(object));
    variables.put("oldObject", toCel(oldObject));
    for (Map<String, Object> condition : matchConditions) {
      Object matched = eval((String) condition.get("expression"), variables);
      if (!Boolean.TRUE.equals(matched)) {
        return Optional.empty();
      }
    }
    for (Map<String, Object> validation : validations) {
      Object result = eval((String) validation.get("expression"), variables);
      if (!Boolean.TRUE.equals(result)) {
        return Optional.of(message(validation, variables, result));
      }
    }
    return Optional.empty();
  }

  private String message(
      Map<String, Object> validation, Map<String, Object> variables, Object result) {
    if (result instanceof Failure failure) {
      return "evaluation error: " + failure.error();
    }
    Object expression = validation.get("messageExpression");
    if (expression != null) {
      Object message = eval((String) expression, variables);
      if (message instanceof String text) {
        return text;
      }
    }
    return String.valueOf(validation.get("message")).strip();
  }

  private Object eval(String expression, Map<String, Object> variables) {
    try {
      return compile(expression).eval(withoutNulls(variables));
    } catch (CelEvaluationException e) {
      return new Failure(e.getMessage());
    }
  }

  /** An expression that could not be evaluated (failurePolicy Fail: the request is denied). */
  private record Failure(String error) {}

  /** A null variable (object on DELETE, oldObject on CREATE) is CEL's null. */
  private static Map<String, Object> withoutNulls(Map<String, Object> variables) {
    Map<String, Object> bound = new LinkedHashMap<>();
    variables.forEach(
        (k, v) -> bound.put(k, v == null ? dev.cel.common.values.NullValue.NULL_VALUE : v));
    return bound;
  }

  /** Parsed YAML as CEL values: integers as longs, floating point numbers as doubles. */
  static Object toCel(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> converted = new LinkedHashMap<>();
      map.forEach((k, v) -> converted.put(String.valueOf(k), toCel(v)));
      return converted;
    }
    if (value instanceof List<?> list) {
      List<Object> converted = new ArrayList<>();
      list.forEach(element -> converted.add(toCel(element)));
      return converted;
    }
    if (value instanceof Integer number) {
      return number.longValue();
    }
    if (value instanceof Float number) {
      return number.doubleValue();
    }
    return value;
  }
}
