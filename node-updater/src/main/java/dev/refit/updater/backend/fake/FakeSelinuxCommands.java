package dev.refit.updater.backend.fake;

import dev.refit.updater.backend.fake.FakeSelinux.Outcome;
import dev.refit.updater.host.CommandResult;
import dev.refit.updater.host.CommandRunner;
import dev.refit.updater.host.CommandStartException;
import dev.refit.updater.host.HostState;
import dev.refit.updater.selinux.GetenforceParser;
import dev.refit.updater.selinux.HostSelinuxMode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SELinux commands of a {@link FakeSelinux} host, answered as the real tools answer them
 * (libselinux's getenforce and setenforce, policycoreutils' setsebool and semodule, sed on
 * /etc/selinux/config): the same argv, output, exit statuses and messages. Module sources are read
 * from the agent's /var/lib/refit, where SelinuxTools wrote them. A command the tools do not have
 * fails to start, so a change in what the agent runs shows here.
 */
final class FakeSelinuxCommands implements CommandRunner {

  private static final Pattern SED =
      Pattern.compile("s/\\^SELINUX=\\.\\*/SELINUX=(enforcing|permissive|disabled)/");
  private static final Pattern PRIORITY = Pattern.compile("[1-9][0-9]{0,2}");

  private final FakeSelinux model;
  private final HostState state;

  FakeSelinuxCommands(FakeSelinux model, HostState state) {
    this.model = model;
    this.state = state;
  }

  @Override
  public CommandResult execute(List<String> argv, Duration timeout) throws CommandStartException {
    Outcome outcome = answer(argv);
    if (outcome == null) {
      throw new CommandStartException(argv, "not a command of the fake host's SELinux tools", null);
    }
    return new CommandResult(
        argv,
        outcome.exitCode(),
        stdout(argv, outcome),
        outcome.stderr(),
        false,
        false,
        Duration.ZERO);
  }

  private String stdout(List<String> argv, Outcome outcome) {
    if (outcome.exitCode() != 0) {
      return "";
    }
    return switch (String.join(" ", argv)) {
      case "getenforce" -> GetenforceParser.word(model.mode()) + "\n";
      case "cat /etc/selinux/config" ->
          "# This file controls the state of SELinux on the system.\nSELINUX="
              + model.configuredMode().name().toLowerCase(Locale.ROOT)
              + "\nSELINUXTYPE=targeted\n";
      case "getsebool -a" -> model.getsebool();
      case "semodule --list-modules=full" -> model.listModulesFull();
      default -> "";
    };
  }

  /** What the command does to the model, or null for a command these tools do not have. */
  private Outcome answer(List<String> argv) {
    String line = String.join(" ", argv);
    switch (line) {
      case "getenforce", "cat /etc/selinux/config", "semodule --list-modules=full" -> {
        return Outcome.OK;
      }
      case "getsebool -a" -> {
        return model.mode() == HostSelinuxMode.DISABLED
            ? new Outcome(1, "getsebool:  SELinux is disabled\n")
            : Outcome.OK;
      }
      default -> {}
    }
    return switch (argv.get(0)) {
      case "setenforce" -> setenforce(argv);
      case "setsebool" -> setsebool(argv);
      case "semodule" -> semodule(argv);
      case "sed" -> sed(argv);
      default -> null;
    };
  }

  private Outcome setenforce(List<String> argv) {
    Optional<HostSelinuxMode> mode =
        argv.size() != 2
            ? Optional.empty()
            : switch (argv.get(1).toLowerCase(Locale.ROOT)) {
              case "1", "enforcing" -> Optional.of(HostSelinuxMode.ENFORCING);
              case "0", "permissive" -> Optional.of(HostSelinuxMode.PERMISSIVE);
              default -> Optional.empty();
            };
    return mode.map(model::setenforce)
        .orElse(new Outcome(1, "usage:  setenforce [ Enforcing | Permissive | 1 | 0 ]\n"));
  }

  private Outcome setsebool(List<String> argv) {
    boolean persistent = argv.size() > 1 && argv.get(1).equals("-P");
    List<String> settings = argv.subList(persistent ? 2 : 1, argv.size());
    Map<String, Boolean> values = new LinkedHashMap<>();
    for (String setting : settings) {
      int eq = setting.indexOf('=');
      if (eq <= 0) {
        return new Outcome(255, "setsebool: '=' not found in boolean expression " + setting + "\n");
      }
      String value = setting.substring(eq + 1).toLowerCase(Locale.ROOT);
      boolean on = value.equals("1") || value.equals("true") || value.equals("on");
      if (!on && !(value.equals("0") || value.equals("false") || value.equals("off"))) {
        return new Outcome(
            255,
            "setsebool: illegal value "
                + value
                + " for boolean "
                + setting.substring(0, eq)
                + "\n");
      }
      values.put(setting.substring(0, eq), on);
    }
    if (values.isEmpty()) {
      return new Outcome(1, "Error: boolean name required\n");
    }
    return model.setsebool(values, persistent);
  }

  /** {@code semodule -X <priority> -i <file>} and {@code semodule -X <priority> -r <name>}. */
  private Outcome semodule(List<String> argv) {
    if (argv.size() != 5 || !argv.get(1).equals("-X") || !PRIORITY.matcher(argv.get(2)).matches()) {
      return null;
    }
    int priority = Integer.parseInt(argv.get(2));
    String operand = argv.get(4);
    if (argv.get(3).equals("-r")) {
      return model.remove(operand, priority);
    }
    if (!argv.get(3).equals("-i")) {
      return null;
    }
    String prefix = state.hostPath("");
    Optional<String> source =
        operand.startsWith(prefix)
            ? state.read(operand.substring(prefix.length()))
            : Optional.empty();
    if (source.isEmpty() || !operand.endsWith(".cil")) {
      return new Outcome(
          1,
          "libsemanage.map_compressed_file: Unable to open "
              + operand
              + "\n (No such file or directory).\nsemodule:  Failed on "
              + operand
              + "!\n");
    }
    String file = operand.substring(operand.lastIndexOf('/') + 1);
    return model.install(
        file.substring(0, file.length() - ".cil".length()), priority, source.get());
  }

  private Outcome sed(List<String> argv) {
    if (argv.size() != 5
        || !argv.subList(1, 3).equals(List.of("-i", "-E"))
        || !argv.get(4).equals("/etc/selinux/config")) {
      return null;
    }
    Matcher m = SED.matcher(argv.get(3));
    if (!m.matches()) {
      return null;
    }
    model.configure(HostSelinuxMode.fromText(m.group(1)).orElseThrow());
    return Outcome.OK;
  }
}
