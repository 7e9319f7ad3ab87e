package dev.refit.updater.selinux;

import dev.refit.updater.host.HostOutputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the module listings of {@code semodule}.
 *
 * <ul>
 *   <li>{@code semodule -l}: one module name per line (policycoreutils 2.4 and later list only
 *       enabled modules), or, before 2.4, {@code name<TAB>version} with {@code <TAB>Disabled}
 *       appended for disabled modules.
 *   <li>{@code semodule --list-modules=full}: {@code priority name language [disabled]}, columns
 *       padded with spaces (the padding differs between releases, so it is not relied on).
 * </ul>
 */
public final class SemoduleParser {

  /** Lists the enabled modules by name. */
  public static final List<String> LIST_COMMAND = List.of("semodule", "-l");

  /** Lists every module with priority, language and a disabled marker. */
  public static final List<String> FULL_COMMAND = List.of("semodule", "--list-modules=full");

  private static final Pattern FULL =
      Pattern.compile("^(\\d{1,3})\\s+(\\S+)\\s+(\\S+)(?:\\s+(disabled))?\\s*$");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

  private SemoduleParser() {}

  /** Parses {@code semodule -l}, modern or legacy. */
  public static List<SelinuxModule> parseList(String stdout) throws HostOutputException {
    String command = "semodule -l";
    String expected = "module names, one per line (or name<TAB>version[<TAB>Disabled])";
    List<SelinuxModule> modules = new ArrayList<>();
    for (String line : lines(stdout, command, expected)) {
      String[] fields = line.strip().split("\\s+");
      boolean legacy = fields.length == 2 || fields.length == 3;
      if (!NAME.matcher(fields[0]).matches()
          || fields.length > 3
          || (fields.length == 3 && !fields[2].equals("Disabled"))) {
        throw new HostOutputException(command, expected, line);
      }
      modules.add(
          new SelinuxModule(
              fields[0],
              OptionalInt.empty(),
              Optional.empty(),
              legacy ? Optional.of(fields[1]) : Optional.empty(),
              fields.length != 3));
    }
    return modules;
  }

  /** Parses {@code semodule --list-modules=full}. */
  public static List<SelinuxModule> parseFull(String stdout) throws HostOutputException {
    String command = "semodule --list-modules=full";
    String expected = "lines of \"priority name language [disabled]\"";
    List<SelinuxModule> modules = new ArrayList<>();
    for (String line : lines(stdout, command, expected)) {
      Matcher m = FULL.matcher(line.strip());
      if (!m.matches() || !NAME.matcher(m.group(2)).matches()) {
        throw new HostOutputException(command, expected, line);
      }
      modules.add(
          new SelinuxModule(
              m.group(2),
              OptionalInt.of(Integer.parseInt(m.group(1))),
              Optional.of(m.group(3)),
              Optional.empty(),
              m.group(4) == null));
    }
    return modules;
  }

  private static List<String> lines(String stdout, String command, String expected)
      throws HostOutputException {
    if (stdout == null || stdout.isBlank()) {
      // Every SELinux policy has modules; an empty listing means the tool failed quietly.
      throw new HostOutputException(command, expected, stdout);
    }
    List<String> lines = new ArrayList<>();
    for (String line : stdout.split("\n")) {
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    return lines;
  }
}
