package dev.refit.updater.backend.bottlerocket;

import dev.refit.updater.host.HostOutputException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bottlerocket's partition sets as {@code signpost status} prints them: the GPT priority flags of
 * set A and (on a two-set disk) set B, the set running now and the set the bootloader picks next.
 * Unlike the update API's status, which lives on tmpfs and forgets the other set at every boot,
 * this is read from the disk, so it is what says whether a rollback is possible.
 *
 * <pre>
 * OS disk: /dev/nvme0n1
 * Set A:   boot=/dev/nvme0n1p2 root=/dev/nvme0n1p3 hash=/dev/nvme0n1p4 priority=1 tries_left=0 successful=true
 * Set B:   boot=/dev/nvme0n1p6 root=/dev/nvme0n1p7 hash=/dev/nvme0n1p8 priority=2 tries_left=0 successful=true
 * Active:  Set B
 * Next:    Set B
 * </pre>
 *
 * <p>The flags on each line belong to the set the line names. (Since signpost's rewrite the device
 * paths on the "Set A" line are the active set's, whichever it is; the paths are not read.)
 *
 * @param sets the flags of each set, by letter ({@code A}, and {@code B} on a two-set disk)
 * @param active the set the running OS was booted from
 * @param next the set the bootloader boots next, empty if none is bootable
 */
public record BottlerocketSignpost(Map<String, Flags> sets, String active, Optional<String> next) {

  /** Prints the partition sets, their flags, the active and the next set. */
  public static final List<String> STATUS_COMMAND = List.of("signpost", "status");

  private static final String COMMAND_LINE = "signpost status";
  private static final Pattern SET =
      Pattern.compile(
          "^Set ([AB]):\\s.*\\bpriority=(\\d+) tries_left=(\\d+) successful=(true|false)\\s*$");
  private static final Pattern ACTIVE = Pattern.compile("^Active:\\s+Set ([AB])\\s*$");
  private static final Pattern NEXT = Pattern.compile("^Next:\\s+(?:Set ([AB])|(None))\\s*$");

  /**
   * One set's GPT priority flags (the gptprio bits of its boot partition).
   *
   * @param priority 0 (never picked) to 15; the higher bootable set is booted
   * @param triesLeft boot attempts left for a set that has not booted successfully yet
   * @param successful whether the set has booted successfully
   */
  public record Flags(int priority, int triesLeft, boolean successful) {

    /** Whether the bootloader would boot this set: signpost's own rule. */
    public boolean willBoot() {
      return (priority > 0 && triesLeft > 0) || successful;
    }
  }

  /** Copies the sets. */
  public BottlerocketSignpost {
    sets = Map.copyOf(sets);
  }

  /** The set not running now, on a two-set disk. */
  public Optional<String> inactive() {
    String other = active.equals("A") ? "B" : "A";
    return sets.containsKey(other) ? Optional.of(other) : Optional.empty();
  }

  /** Whether the next boot would switch to the other set (an activation or a rollback is armed). */
  public boolean armed() {
    return next.isPresent() && !next.get().equals(active);
  }

  /**
   * Whether {@code signpost rollback-to-inactive} would succeed and make a difference: the other
   * set is bootable (it booted before, or is marked to be tried) and is not already the next boot.
   */
  public boolean rollbackAvailable() {
    return !armed() && inactive().map(s -> sets.get(s).willBoot()).orElse(false);
  }

  /** Parses {@code signpost status}; anything else is an error quoting what was printed. */
  public static BottlerocketSignpost parse(String output) throws HostOutputException {
    String expected = "OS disk, Set A/B flag lines, Active and Next lines";
    if (output == null || !output.startsWith("OS disk: ")) {
      throw new HostOutputException(COMMAND_LINE, expected, output);
    }
    Map<String, Flags> sets = new TreeMap<>();
    String active = null;
    Optional<String> next = null;
    for (String line : output.split("\n")) {
      Matcher set = SET.matcher(line);
      Matcher act = ACTIVE.matcher(line);
      Matcher nxt = NEXT.matcher(line);
      if (set.matches()) {
        sets.put(
            set.group(1),
            new Flags(
                flag("priority", set.group(2), line),
                flag("tries_left", set.group(3), line),
                Boolean.parseBoolean(set.group(4))));
      } else if (act.matches()) {
        active = act.group(1);
      } else if (nxt.matches()) {
        next = Optional.ofNullable(nxt.group(1));
      } else if (line.startsWith("Set ")) {
        throw new HostOutputException(
            COMMAND_LINE, "a set line ending in priority=N tries_left=N successful=BOOL", line);
      }
    }
    if (!sets.containsKey("A") || active == null || next == null || !sets.containsKey(active)) {
      throw new HostOutputException(COMMAND_LINE, expected, output);
    }
    return new BottlerocketSignpost(sets, active, next);
  }

  /** A 4-bit gptprio field: 0 to 15, whatever else the line says. */
  private static int flag(String name, String digits, String line) throws HostOutputException {
    int value = digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits);
    if (value > 15) {
      throw new HostOutputException(COMMAND_LINE, name + " from 0 to 15 (a 4-bit GPT flag)", line);
    }
    return value;
  }
}
