package dev.refit.updater.backend.bottlerocket;

import dev.refit.updater.Fixtures;
import dev.refit.updater.backend.ScriptedHost;
import dev.refit.updater.host.FakeCommandRunner;
import dev.refit.updater.host.FakeCommandRunner.Answer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** The argv, recorded answers and a scripted host shared by the Bottlerocket backend tests. */
final class BottlerocketFakes {

  static final List<String> STATUS = List.of("apiclient", "raw", "-u", "/updates/status");
  static final List<String> SIGNPOST = List.of("signpost", "status");
  static final List<String> LABELS =
      List.of("apiclient", "raw", "-u", "/settings?prefix=kubernetes.node-labels");
  static final List<String> UPDOG = List.of("cat", "/etc/updog.toml");
  static final List<String> TBU = List.of("cat", "/etc/thar-be-updates.toml");
  static final List<String> PIN =
      List.of("apiclient", "set", "updates.version-lock=v1.20.0", "updates.ignore-waves=true");
  static final List<String> REFRESH = post("/actions/refresh-updates");
  static final List<String> PREPARE = post("/actions/prepare-update");
  static final List<String> ACTIVATE = post("/actions/activate-update");
  static final List<String> DEACTIVATE = post("/actions/deactivate-update");
  static final List<String> REBOOT = post("/actions/reboot");
  static final Instant NOW = Instant.parse("2025-01-10T10:30:00Z");
  static final Duration GRACE = Duration.ofMinutes(10);

  static final Answer.Output BUSY =
      fails("bottlerocket-raw-updates-status-refit-423-while-a-command-runs.txt");
  static final Answer.Output UNINITIALIZED =
      fails("bottlerocket-raw-updates-status-refit-404-after-boot.txt");
  static final Answer.Output DONE = new Answer.Output(0, "", "");

  private BottlerocketFakes() {}

  static List<String> post(String uri) {
    return List.of("apiclient", "raw", "-u", uri, "-m", "POST");
  }

  /** apiclient printed the fixture on stdout and exited 0. */
  static Answer.Output ok(String fixture) {
    return new Answer.Output(0, Fixtures.read(fixture), "");
  }

  /** apiclient printed the fixture on stderr and exited 1. */
  static Answer.Output fails(String fixture) {
    return new Answer.Output(1, "", Fixtures.read(fixture));
  }

  /** A backend over the scripted host, on a fixed clock, whose in-call waits do not sleep. */
  static BottlerocketBackend backend(ScriptedHost host) {
    host.runner.succeed(List.of("sestatus"), Fixtures.read("sestatus-bottlerocket-fortified.txt"));
    host.runner.succeed(
        List.of("cat", "/etc/os-release"),
        Fixtures.read("os-release-bottlerocket-1.2.0-aws-ecs-1-new-format.txt"));
    return new BottlerocketBackend(
        host.runner, host.boot, Clock.fixed(NOW, ZoneOffset.UTC), GRACE, d -> {});
  }

  /** Every command that changes the host: settings, update actions, partition flags. */
  static List<List<String>> changes(FakeCommandRunner runner) {
    return runner.commands().stream()
        .filter(
            c ->
                (c.size() > 1 && c.get(1).equals("set"))
                    || c.contains("POST")
                    || (c.get(0).equals("signpost") && !c.equals(SIGNPOST)))
        .toList();
  }
}
