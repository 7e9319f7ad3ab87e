package dev.refit.sim;

import dev.refit.api.Condition;
import dev.refit.api.NodeProblem;
import dev.refit.api.NodeState;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.RefitApi;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Shows a running simulation: on a terminal a table redrawn in place (nodes by state, the nodes in
 * flight, each policy's reason and the nodes that need a person); elsewhere (CI logs, pipes) a line
 * every few seconds.
 *
 * <p>The table is redrawn by moving the cursor up as many rows as the last frame took. A line
 * longer than the terminal is wide would wrap onto more rows than were counted and leave part of an
 * earlier frame standing above the new one; so every line is cut to the terminal's width, and a
 * frame to its height.
 */
class Progress {

  /** Notes (operator restarts and the like) shown under the table: the latest few. */
  static final int NOTES_SHOWN = 4;

  private static final int SHOWN = 6;
  private static final int REASON_WIDTH = 110;
  private static final long SIZE_CHECK_NANOS = 5_000_000_000L;

  private final PrintStream out;
  private final boolean terminal;
  private final boolean quiet;
  private final List<String> notes = new ArrayList<>();
  private long lastLine;
  private int drawnRows;
  private int[] size = {24, 80};
  private long sizeCheckedAt;

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
    if (terminal) {
      if (System.nanoTime() - sizeCheckedAt > SIZE_CHECK_NANOS) {
        size = terminalSize();
        sizeCheckedAt = System.nanoTime();
      }
      Frame frame = frame(lines(elapsed, counts, inFlight, policies, notes), drawnRows, size);
      out.print(frame.text());
      out.flush();
      drawnRows = frame.rows();
    } else if (System.nanoTime() - lastLine > 2_000_000_000L) {
      out.println(line(elapsed, counts, policies));
      lastLine = System.nanoTime();
    }
  }

  /** The next frame goes below the last one rather than over it. */
  synchronized void finish() {
    drawnRows = 0;
  }

  /** The table: a header, nodes by state, the nodes in flight, then each policy; then notes. */
  static List<String> lines(
      double elapsed,
      Map<NodeState, Integer> counts,
      List<String> inFlight,
      List<OSUpdatePolicy> policies,
      List<String> notes) {
    int total = counts.values().stream().mapToInt(i -> i).sum();
    int updated = counts.getOrDefault(NodeState.UpToDate, 0);
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            "Refit simulator  t=%5.1fs  %s %d/%d updated",
            elapsed, bar(updated, total), updated, total));
    lines.add("  " + countLine(counts));
    lines.add("  in flight: " + (inFlight.isEmpty() ? "-" : abbreviate(inFlight, SHOWN)));
    for (OSUpdatePolicy policy : policies) {
      lines.add(
          "  "
              + policy.getMetadata().getName()
              + " -> "
              + policy.getSpec().getOs().display()
              + ": "
              + reason(policy));
      String attention = needsAPerson(policy);
      if (attention != null) {
        lines.add("    needs a person: " + attention);
      }
      Condition degraded = condition(policy, RefitApi.DEGRADED);
      if (degraded != null && degraded.isTrue()) {
        lines.add(
            "    degraded: "
                + shorten(degraded.getReason() + ": " + degraded.getMessage(), REASON_WIDTH));
      }
    }
    int from = Math.max(0, notes.size() - NOTES_SHOWN);
    if (from > 0) {
      lines.add("  (" + from + " earlier notes)");
    }
    notes.subList(from, notes.size()).forEach(n -> lines.add("  " + n));
    return lines;
  }

  /** What a terminal is sent for one frame, and how many rows the frame takes. */
  record Frame(String text, int rows) {}

  /**
   * What a terminal ({@code size}: rows, columns) is sent to replace the last frame ({@code
   * previousRows} rows, the cursor below it) with these lines: up to its first row, each line cut
   * to the width and its row cleared, then whatever stood below cleared. A frame never takes more
   * rows than it counts, so the next one starts exactly where this one did.
   */
  static Frame frame(List<String> lines, int previousRows, int[] size) {
    StringBuilder frame = new StringBuilder();
    if (previousRows > 0) {
      frame.append("\033[").append(previousRows).append('F');
    }
    // the last column stays empty: some terminals wrap on writing it
    int columns = Math.max(10, size[1] - 1);
    int rows = Math.min(lines.size(), Math.max(1, size[0] - 1));
    for (int i = 0; i < rows; i++) {
      String line = lines.get(i);
      if (i == rows - 1 && rows < lines.size()) {
        line = "  … " + (lines.size() - rows + 1) + " more lines";
      }
      frame.append("\033[2K").append(shorten(line, columns)).append('\n');
    }
    frame.append("\033[J");
    return new Frame(frame.toString(), rows);
  }

  /** One line for a log: figures, then each policy's reason and the nodes needing a person. */
  static String line(
      double elapsed, Map<NodeState, Integer> counts, List<OSUpdatePolicy> policies) {
    int total = counts.values().stream().mapToInt(i -> i).sum();
    StringBuilder line =
        new StringBuilder(
            String.format(
                "t=%5.1fs updated %d/%d | %s",
                elapsed, counts.getOrDefault(NodeState.UpToDate, 0), total, countLine(counts)));
    for (OSUpdatePolicy policy : policies) {
      line.append(" | ").append(policy.getMetadata().getName()).append(": ").append(reason(policy));
      String attention = needsAPerson(policy);
      if (attention != null) {
        line.append("; needs a person: ").append(attention);
      }
    }
    return line.toString();
  }

  /** The policy's Progressing reason and message, shortened. */
  private static String reason(OSUpdatePolicy policy) {
    Condition progressing = condition(policy, RefitApi.PROGRESSING);
    return progressing == null
        ? "waiting for the operator"
        : shorten(progressing.getReason() + ": " + progressing.getMessage(), REASON_WIDTH);
  }

  /** Nodes the policy's status lists as problems (failed, skipped, refused, blocked), or null. */
  private static String needsAPerson(OSUpdatePolicy policy) {
    List<NodeProblem> problems =
        policy.getStatus() == null ? List.of() : policy.getStatus().getProblems();
    if (problems == null || problems.isEmpty()) {
      return null;
    }
    List<String> named = new ArrayList<>();
    problems.forEach(p -> named.add(p.getNode() + " (" + p.getReason() + ")"));
    return abbreviate(named, 4);
  }

  private static Condition condition(OSUpdatePolicy policy, String type) {
    return policy.getStatus() == null ? null : policy.getStatus().condition(type);
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

  static String shorten(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  /**
   * The terminal's rows and columns: from {@code LINES} and {@code COLUMNS} when set, else from
   * {@code stty size} on the controlling terminal, else 24 by 80.
   */
  static int[] terminalSize() {
    try {
      return new int[] {
        Integer.parseInt(System.getenv("LINES")), Integer.parseInt(System.getenv("COLUMNS"))
      };
    } catch (NumberFormatException e) {
      // not exported by the shell: ask the terminal
    }
    try {
      Process stty =
          new ProcessBuilder("stty", "size")
              .redirectInput(new File("/dev/tty"))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String answer = new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (stty.waitFor(2, TimeUnit.SECONDS) && stty.exitValue() == 0) {
        String[] parts = answer.trim().split("\\s+");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
      }
    } catch (IOException | RuntimeException e) {
      // no terminal to ask
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new int[] {24, 80};
  }
}
