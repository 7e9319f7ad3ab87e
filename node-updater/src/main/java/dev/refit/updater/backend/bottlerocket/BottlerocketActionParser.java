package dev.refit.updater.backend.bottlerocket;

import dev.refit.updater.host.CommandResult;
import dev.refit.updater.host.HostOutputException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an apiclient run into a {@link BottlerocketActionOutcome}.
 *
 * <p>apiclient prints one error line on failure and exits 1. HTTP errors are worded by its library
 * as {@code Status <code> when <METHOD>ing <uri>: <body>}, wrapped in context such as {@code Failed
 * to apply update: Failed to prepare update. ... Detail: Failed to make prepare request: }; the
 * code decides the outcome. A failing initial status read is worded {@code Unable to check initial
 * update status, got code '423 Locked': <body>}.
 */
public final class BottlerocketActionParser {

  /** Downloads, writes and activates the chosen update; waits until done. */
  public static final List<String> APPLY_COMMAND = List.of("apiclient", "update", "apply");

  /** Deactivates an applied ({@code Ready}) update. */
  public static final List<String> CANCEL_COMMAND = List.of("apiclient", "update", "cancel");

  private static final Pattern HTTP_ERROR =
      Pattern.compile("Status (\\d{3}) when ([A-Z]+)ing (\\S+): (.*)");
  private static final Pattern INITIAL_STATUS =
      Pattern.compile("Unable to check initial update status, got code '(\\d{3})[^']*': (.*)");
  private static final Pattern LOG_LINE = Pattern.compile("^\\d{2}:\\d{2}:\\d{2} \\[[A-Z]+\\] ");

  private BottlerocketActionParser() {}

  /** Classifies a finished apiclient run from its exit code and both output streams. */
  public static BottlerocketActionOutcome parse(CommandResult result) throws HostOutputException {
    String output = result.combinedOutput();
    if (result.succeeded()) {
      List<String> log = new ArrayList<>();
      for (String line : output.split("\n")) {
        if (!line.isBlank()) {
          log.add(line.strip());
        }
      }
      return new BottlerocketActionOutcome.Succeeded(log);
    }
    for (String line : output.split("\n")) {
      if (LOG_LINE.matcher(line).find()) {
        continue;
      }
      BottlerocketActionOutcome outcome = classify(line.strip());
      if (outcome != null) {
        return outcome;
      }
    }
    throw new HostOutputException(
        result.commandLine(),
        "an apiclient error such as \"Status 423 when POSTing /actions/prepare-update: ...\""
            + " (exit status "
            + result.exitCode()
            + ")",
        output);
  }

  private static BottlerocketActionOutcome classify(String line) {
    Matcher initial = INITIAL_STATUS.matcher(line);
    if (initial.find()) {
      return byStatus(
          Integer.parseInt(initial.group(1)), "GET", "/updates/status", initial.group(2));
    }
    Matcher http = HTTP_ERROR.matcher(line);
    if (http.find()) {
      return byStatus(
          Integer.parseInt(http.group(1)), http.group(2), http.group(3), http.group(4).strip());
    }
    if (line.contains(" attempt failed with status ")) {
      return new BottlerocketActionOutcome.CommandFailed(line);
    }
    if (line.contains("Timed out after waiting") || line.contains("Failed to check status")) {
      return new BottlerocketActionOutcome.Unconfirmed(line);
    }
    return null;
  }

  private static BottlerocketActionOutcome byStatus(
      int status, String method, String path, String reason) {
    return switch (status) {
      case 423 -> new BottlerocketActionOutcome.LockHeld(method, path, reason);
      case 409 -> new BottlerocketActionOutcome.NotAllowed(method, path, reason);
      default -> new BottlerocketActionOutcome.Rejected(status, method, path, reason);
    };
  }
}
