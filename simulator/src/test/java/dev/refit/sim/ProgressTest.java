package dev.refit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.NodeState;
import dev.refit.api.OSUpdatePolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressTest {

  private static final int[] SIZE = {24, 80};

  private static OSUpdatePolicy policy(String name, String status) {
    return Serialization.unmarshal(
        """
        apiVersion: refit.dev/v1alpha1
        kind: OSUpdatePolicy
        metadata: {name: %s}
        spec:
          nodeSelector: {matchLabels: {pool: w}}
          os: {family: FedoraCoreOS, version: "41.20250101.3.0"}
        %s
        """
            .formatted(name, status),
        OSUpdatePolicy.class);
  }

  private static final OSUpdatePolicy WAITING = policy("workers", "");

  private static final OSUpdatePolicy ROLLING =
      policy(
          "workers",
          """
          status:
            conditions:
              - {type: Progressing, status: "True", reason: RollingOut, message: "updating w-1, w-2, w-3, w-4, w-5, w-6, w-7, w-8, w-9, w-10 and 12 more; 3 of 40 updated, waiting for the drains of w-1 and w-2"}
            problems:
              - {node: w-3, reason: StageFailed, message: the download failed}
              - {node: w-5, reason: HostRefused, message: locksmithd would reboot on its own}
          """);

  private static List<String> table(OSUpdatePolicy policy, List<String> notes) {
    return Progress.lines(
        1.0,
        Map.of(NodeState.UpToDate, 3, NodeState.Pending, 37),
        List.of(),
        List.of(policy),
        notes);
  }

  @Test
  void aRedrawnTableLeavesNothingOfEarlierFramesEvenWhenItsLinesAreWiderThanTheTerminal() {
    Screen screen = new Screen(80);
    List<List<String>> frames =
        List.of(
            table(WAITING, List.of()),
            table(ROLLING, List.of()),
            table(ROLLING, List.of("t=8.0s operator killed and started again")),
            table(WAITING, List.of()));
    int rows = 0;
    for (List<String> lines : frames) {
      Progress.Frame frame = Progress.frame(lines, rows, SIZE);
      screen.feed(frame.text());
      rows = frame.rows();
      assertThat(screen.rows())
          .as("the screen after a frame shows that frame, and only it")
          .containsExactlyElementsOf(lines.stream().map(l -> Progress.shorten(l, 79)).toList());
    }
  }

  @Test
  void aFrameTallerThanTheTerminalIsCutSoTheCursorCanReachItsTop() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      lines.add("line " + i);
    }
    Progress.Frame frame = Progress.frame(lines, 0, new int[] {10, 80});
    assertThat(frame.rows()).isEqualTo(9);
    Screen screen = new Screen(80);
    screen.feed(frame.text());
    assertThat(screen.rows()).hasSize(9).endsWith("  … 22 more lines");
  }

  @Test
  void eachPolicyShowsItsReasonAndTheNodesThatNeedAPerson() {
    List<String> lines = table(ROLLING, List.of());
    assertThat(lines)
        .anySatisfy(
            l -> assertThat(l).startsWith("  workers -> ").contains(": RollingOut: updating"))
        .contains("    needs a person: w-3 (StageFailed), w-5 (HostRefused)");
    assertThat(table(WAITING, List.of()))
        .anySatisfy(l -> assertThat(l).endsWith(": waiting for the operator"))
        .noneSatisfy(l -> assertThat(l).contains("needs a person"));
  }

  @Test
  void onlyTheLatestNotesAreShown() {
    List<String> notes = List.of("n1", "n2", "n3", "n4", "n5", "n6");
    assertThat(table(WAITING, notes))
        .endsWith("  (2 earlier notes)", "  n3", "  n4", "  n5", "  n6");
  }

  @Test
  void aLogLineCarriesEachPolicysReasonAndTheNodesThatNeedAPerson() {
    assertThat(Progress.line(2.0, Map.of(NodeState.UpToDate, 3), List.of(ROLLING)))
        .contains("updated 3/3")
        .contains("| workers: RollingOut: updating w-1")
        .contains("; needs a person: w-3 (StageFailed), w-5 (HostRefused)");
  }

  /**
   * A terminal, as far as the table uses one: printable characters wrap at the width (as xterm
   * does: on the character after the last column), a newline goes to the start of the next row,
   * {@code ESC[nF} to the start of the row n above, {@code ESC[2K} clears the row, {@code ESC[J}
   * clears from the cursor to the end of the screen.
   */
  static final class Screen {
    private final int width;
    private final List<StringBuilder> rows = new ArrayList<>();
    private int row;
    private int col;

    Screen(int width) {
      this.width = width;
    }

    void feed(String text) {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '\033') {
          int end = i + 2;
          while (!Character.isLetter(text.charAt(end))) {
            end++;
          }
          String argument = text.substring(i + 2, end);
          control(text.charAt(end), argument.isEmpty() ? 1 : Integer.parseInt(argument));
          i = end;
        } else if (c == '\n') {
          row++;
          col = 0;
        } else {
          if (col == width) {
            row++;
            col = 0;
          }
          StringBuilder line = line(row);
          while (line.length() <= col) {
            line.append(' ');
          }
          line.setCharAt(col++, c);
        }
      }
    }

    private void control(char command, int n) {
      switch (command) {
        case 'F' -> {
          row = Math.max(0, row - n);
          col = 0;
        }
        case 'K' -> line(row).setLength(0);
        case 'J' -> {
          StringBuilder line = line(row);
          line.setLength(Math.min(line.length(), col));
          while (rows.size() > row + 1) {
            rows.remove(rows.size() - 1);
          }
        }
        default -> throw new IllegalArgumentException("unexpected control " + command);
      }
    }

    private StringBuilder line(int index) {
      while (rows.size() <= index) {
        rows.add(new StringBuilder());
      }
      return rows.get(index);
    }

    /** The screen's text, without trailing blanks or empty rows at the end. */
    List<String> rows() {
      List<String> text =
          new ArrayList<>(rows.stream().map(r -> r.toString().stripTrailing()).toList());
      while (!text.isEmpty() && text.get(text.size() - 1).isEmpty()) {
        text.remove(text.size() - 1);
      }
      return text;
    }
  }
}
