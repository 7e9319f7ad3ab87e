package dev.refit.updater.backend.bottlerocket;

import static dev.refit.updater.HostOutputFuzz.assertReadOrExplained;

import dev.refit.updater.HostOutputFuzz;
import dev.refit.updater.host.CommandResult;
import dev.refit.updater.host.HostException;
import dev.refit.updater.host.HostOutputException;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * apiclient's action errors, whatever the exit status, and the node-label settings, as they might
 * come back damaged: each is read, or rejected naming the command. (The update status and {@code
 * signpost status} are in {@code HostOutputParsersFuzzTest}.)
 */
class BottlerocketParsersFuzzTest {

  @Property(tries = 300)
  void actionErrors(@ForAll("actionOutputs") String stderr, @ForAll("exitCodes") int exit) {
    assertReadOrExplained(
        "apiclient update apply",
        s ->
            BottlerocketActionParser.parse(
                new CommandResult(
                    BottlerocketActionParser.APPLY_COMMAND,
                    exit,
                    "",
                    s,
                    false,
                    false,
                    Duration.ZERO)),
        stderr);
  }

  @Property(tries = 200)
  void nodeLabelSettings(@ForAll("settings") String output) {
    assertReadOrExplained(
        "apiclient raw -u /settings",
        s -> {
          try {
            return BottlerocketUpdateOperator.label(s);
          } catch (HostException e) {
            throw (HostOutputException) e.getCause();
          }
        },
        output);
  }

  @Provide
  Arbitrary<String> actionOutputs() {
    return HostOutputFuzz.outputs(
        "bottlerocket-update-apply-",
        "bottlerocket-raw-activate-",
        "bottlerocket-raw-reboot-",
        "bottlerocket-raw-updates-status-4",
        "bottlerocket-update-check-refit-423");
  }

  @Provide
  Arbitrary<Integer> exitCodes() {
    return Arbitraries.oneOf(Arbitraries.of(0, 1), Arbitraries.integers());
  }

  @Provide
  Arbitrary<String> settings() {
    return HostOutputFuzz.outputs("bottlerocket-raw-settings-");
  }
}
