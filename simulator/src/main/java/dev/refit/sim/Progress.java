package dev.refit.sim;

import dev.refit.api.Condition;
import dev.refit.api.NodeState;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.RefitApi;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Shows a running simulation: on a terminal a table redrawn in place (nodes by state, the rollout's
 * progress, what is blocked and why); elsewhere (CI logs, pipes) a line every few seconds.
 */
class Progress {

  private final PrintStream out;
  private final boolean terminal;
  private final boolean quiet;
  private final List<String> notes = new ArrayList<>();
  private long lastLine;
  private int drawnLines;

  Progress(PrintStream out, boolean terminal, boolean quiet) {
    this.out = out;
    this.terminal = terminal;
    this.quiet = quiet;
  }

  /** A progress view that prints nothing. */
  static Progress silent() {
    return new Progress(System.out, false, true);
  }

  synchronized void note(String message) {
    notes.add(message);
    if (!quiet && !terminal) {
      out.println(message);
    }
  }

  synchronized void render(double elapsed, List<OSUpdatePolicy> policies, Observer observer) {
    if (quiet) {
      return;
    }
    Map<NodeState, Integer> counts = new EnumMap<>(NodeState.class);
    List<String> inFlight = new ArrayList<>();
    observer.read(
        nodes -> {
          nodes.forEach(
              (name, seen) -> {
                if (seen.state != null) {
                  counts.merge(seen.state, 1, Integer::sum);
                  if (seen.state.occupiesSlot()) {
                    inFlight.add(name + " " + seen.state);
                  }
                }
              });
          return null;
        });
    int total = counts.values().stream().mapToInt(i -> i).sum();
    int updated = counts.getOrDefault(NodeState.UpToDate, 0);
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            "Refit simulator  t=%5.1fs  %s %d/%d updated",
            elapsed, bar(updated, total), updated, total));
    lines.add("  " + countLine(counts));
    lines.add("  in flight: " + (inFlight.isEmpty() ? "-" : abbreviate(inFlight, 6)));
    for (OSUpdatePolicy policy : policies) {
      Condition progressing =
          policy.getStatus() == null ? null : policy.getStatus().condition(RefitApi.PROGRESSING);
      Condition degraded =
          policy.getStatus() == null ? null : policy.getStatus().condition(RefitApi.DEGRADED);
      String what =
          progressing == null
              ? "waiting for the operator"
              : progressing.getReason() + ": " + progressing.getMessage();
      lines.add(
          "  "
              + policy.getMetadata().getName()
              + " -> "
              + policy.getSpec().getOs().display()
              + ": "
              + truncate(what, 110));
      if (degraded != null && degraded.isTrue()) {
        lines.add(
            "    degraded: " + truncate(degraded.getReason() + ": " + degraded.getMessage(), 110));
      }
    }
    notes.forEach(n -> lines.add("  " + n));
    if (terminal) {
      StringBuilder frame = new StringBuilder();
      if (drawnLines > 0) {
        frame.append("\033[").append(drawnLines).append("F");
      }
      lines.forEach(l -> frame.append("\033[2K").append(l).append('\n'));
      out.print(frame);
      out.flush();
      drawnLines = lines.size();
    } else if (System.nanoTime() - lastLine > 2_000_000_000L) {
      out.println(
          String.format(
              "t=%5.1fs updated %d/%d | %s | %s",
              elapsed, updated, total, countLine(counts), lines.get(3).trim()));
      lastLine = System.nanoTime();
    }
  }

  synchronized void finish() {
    drawnLines = 0;
  }

  private static String countLine(Map<NodeState, Integer> counts) {
    StringBuilder line = new StringBuilder();
    counts.forEach((state, n) -> line.append(state).append(' ').append(n).append("  "));
    return line.toString().trim();
  }

  private static String bar(int done, int total) {
    int width = 24;
    int filled = total == 0 ? 0 : done * width / total;
    return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
  }

  private static String abbreviate(List<String> items, int shown) {
    return items.size() <= shown
        ? String.join(", ", items)
        : String.join(", ", items.subList(0, shown)) + " and " + (items.size() - shown) + " more";
  }

  private static String truncate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
