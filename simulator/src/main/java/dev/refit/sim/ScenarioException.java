package dev.refit.sim;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A scenario the simulator cannot run, with a message for the person who wrote it: the file, where
 * in it (field path, line and column), and what is wrong.
 */
public final class ScenarioException extends IOException {

  private static final long serialVersionUID = 1L;

  ScenarioException(String message) {
    super(message);
  }

  ScenarioException(String message, Throwable cause) {
    super(message, cause);
  }

  /** What a parse or mapping error means, in the scenario's terms. */
  static String describe(String origin, JacksonException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof MarkedYAMLException yaml) {
        return origin + ": not valid YAML: " + yamlProblem(yaml);
      }
    }
    if (e instanceof UnrecognizedPropertyException unknown) {
      List<String> path = path(unknown);
      String where = String.join("", path.subList(0, Math.max(0, path.size() - 1)));
      return origin
          + ": unknown field \""
          + unknown.getPropertyName()
          + "\""
          + (where.isEmpty() ? "" : " in " + where.replaceFirst("^\\.", ""))
          + location(e)
          + "; the fields allowed there: "
          + unknown.getKnownPropertyIds().stream()
              .map(String::valueOf)
              .sorted()
              .collect(Collectors.joining(", "));
    }
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      String where = String.join("", path(mapping)).replaceFirst("^\\.", "");
      return origin + ": " + where + ": " + firstLine(e.getOriginalMessage()) + location(e);
    }
    if (e instanceof JsonParseException || e.getCause() instanceof JsonParseException) {
      return origin + ": not valid YAML: " + firstLine(e.getOriginalMessage()) + location(e);
    }
    return origin + ": " + firstLine(e.getOriginalMessage()) + location(e);
  }

  /** SnakeYAML's problem and where it is, then its context (lines counted from 1). */
  private static String yamlProblem(MarkedYAMLException e) {
    String problem = e.getProblem() == null ? "malformed" : e.getProblem();
    return problem
        + at(e.getProblemMark())
        + (e.getContext() == null ? "" : ", " + e.getContext() + from(e.getContextMark()));
  }

  private static String from(Mark mark) {
    return mark == null
        ? ""
        : " from line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
  }

  private static String at(Mark mark) {
    return mark == null
        ? ""
        : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
  }

  /** The path to the error as {@code .nodes[0].os}: field names and list indexes. */
  private static List<String> path(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
        .toList();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "malformed";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).trim();
  }

  private static String location(JacksonException e) {
    JsonLocation at = e.getLocation();
    return at == null || at.getLineNr() < 1
        ? ""
        : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }
}
