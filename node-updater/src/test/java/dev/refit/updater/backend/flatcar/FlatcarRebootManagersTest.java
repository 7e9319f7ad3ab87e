package dev.refit.updater.backend.flatcar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.updater.Fixtures;
import dev.refit.updater.agent.HostFacts;
import dev.refit.updater.agent.HostRefusal;
import dev.refit.updater.backend.ScriptedHost;
import dev.refit.updater.host.FakeCommandRunner.Answer;
import dev.refit.updater.host.HostException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Flatcar preconditions: nothing else may reboot the node once update_engine installed. */
class FlatcarRebootManagersTest {

  static final List<String> IS_ACTIVE = List.of("systemctl", "is-active", "locksmithd.service");
  static final List<String> IS_ENABLED = List.of("systemctl", "is-enabled", "locksmithd.service");
  static final List<String> USR_CONF = List.of("cat", "/usr/share/flatcar/update.conf");
  static final List<String> ETC_CONF = List.of("cat", "/etc/flatcar/update.conf");
  static final List<String> PGREP_FLUO = List.of("pgrep", "-x", "update-agent");
  static final List<String> PGREP_KURED = List.of("pgrep", "-x", "kured");
  static final String NO_ETC_CONF = "cat: /etc/flatcar/update.conf: No such file or directory\n";

  final ScriptedHost host = new ScriptedHost();
  final FlatcarBackend backend = new FlatcarBackend(host.runner, host.boot, host.selinux);

  FlatcarRebootManagersTest() {
    host.runner.succeed(
        List.of("cat", "/etc/os-release"), Fixtures.read("os-release-flatcar-3510.3.5-lts.txt"));
    host.runner.succeed(
        List.of("update_engine_client", "-status"),
        Fixtures.read("update-engine-client-status-idle-flatcar-3139.txt"));
  }

  /** Scripts a host where locksmithd is stopped and disabled and no reboot agent runs. */
  static void noRebootManager(ScriptedHost host) {
    answer(host, IS_ACTIVE, 3, "flatcar-systemctl-is-active-locksmithd-refit-inactive.txt");
    answer(host, IS_ENABLED, 1, "flatcar-systemctl-is-enabled-locksmithd-refit-disabled.txt");
    host.runner.answer(PGREP_FLUO, new Answer.Output(1, "", ""));
    host.runner.answer(PGREP_KURED, new Answer.Output(1, "", ""));
  }

  /** Whether a command only reads a precondition. */
  static boolean isProbe(List<String> argv) {
    return List.of(IS_ACTIVE, IS_ENABLED, USR_CONF, ETC_CONF, PGREP_FLUO, PGREP_KURED)
        .contains(argv);
  }

  static void answer(ScriptedHost host, List<String> argv, int exit, String fixture) {
    host.runner.answer(argv, new Answer.Output(exit, Fixtures.read(fixture), ""));
  }

  void locksmithd(int activeExit, String active, int enabledExit, String enabled) {
    answer(host, IS_ACTIVE, activeExit, active);
    answer(host, IS_ENABLED, enabledExit, enabled);
    host.runner.answer(PGREP_FLUO, new Answer.Output(1, "", ""));
    host.runner.answer(PGREP_KURED, new Answer.Output(1, "", ""));
    answer(host, USR_CONF, 0, "flatcar-usr-share-update-conf-refit-stable.txt");
  }

  void etcConf(String fixture) {
    if (fixture == null) {
      host.runner.answer(ETC_CONF, new Answer.Output(1, "", NO_ETC_CONF));
    } else {
      answer(host, ETC_CONF, 0, fixture);
    }
  }

  List<HostRefusal> refusals() throws HostException {
    HostFacts facts = backend.facts();
    assertThat(facts.eligible()).isEqualTo(facts.refusals().isEmpty());
    return facts.refusals();
  }

  @Test
  void aStockHostIsRefusedBecauseLocksmithdRebootsWithItsDefaultStrategy() throws Exception {
    locksmithd(
        0,
        "flatcar-systemctl-is-active-locksmithd-refit-active.txt",
        0,
        "flatcar-systemctl-is-enabled-locksmithd-refit-enabled.txt");
    etcConf(null);

    List<HostRefusal> refusals = refusals();

    assertThat(refusals).hasSize(1);
    assertThat(refusals.get(0).reason()).isEqualTo(FlatcarBackend.REBOOT_MANAGER_ACTIVE);
    assertThat(refusals.get(0).message())
        .isEqualTo(
            "locksmithd is running (systemctl is-active locksmithd.service: active) with"
                + " REBOOT_STRATEGY=reboot (locksmithd's default, none set in update.conf) and"
                + " would reboot this node on its own as soon as update_engine has installed an"
                + " update, before Refit drains it; set REBOOT_STRATEGY=off in"
                + " /etc/flatcar/update.conf and run systemctl restart locksmithd.service (it then"
                + " exits), or run systemctl mask --now locksmithd.service");
    assertThat(host.runner.commands()).contains(IS_ACTIVE, USR_CONF, ETC_CONF);
  }

  @Test
  void aLocksmithdAboutToRestartCountsAsRunningWithTheStrategyFromEtc() throws Exception {
    locksmithd(
        3,
        "flatcar-systemctl-is-active-locksmithd-refit-activating.txt",
        0,
        "flatcar-systemctl-is-enabled-locksmithd-refit-enabled.txt");
    etcConf("flatcar-etc-update-conf-etcd-lock-docs.txt");

    assertThat(refusals())
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).isEqualTo(FlatcarBackend.REBOOT_MANAGER_ACTIVE))
        .satisfies(
            r ->
                assertThat(r.message())
                    .contains("(systemctl is-active locksmithd.service: activating)")
                    .contains("REBOOT_STRATEGY=etcd-lock (/etc/flatcar/update.conf)"));
  }

  @Test
  void aRunningLocksmithdIsRefusedEvenAfterUpdateConfWasSetToOff() throws Exception {
    locksmithd(
        0,
        "flatcar-systemctl-is-active-locksmithd-refit-active.txt",
        0,
        "flatcar-systemctl-is-enabled-locksmithd-refit-enabled.txt");
    etcConf("flatcar-etc-update-conf-refit-off-quoted-comments.txt");

    assertThat(refusals())
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.message())
                    .contains("reads the strategy only when it starts")
                    .contains("systemctl restart locksmithd.service"));
  }

  @Test
  void aStoppedLocksmithdThatStartsAtBootWithARebootWindowIsRefused() throws Exception {
    locksmithd(
        3,
        "flatcar-systemctl-is-active-locksmithd-refit-inactive.txt",
        0,
        "flatcar-systemctl-is-enabled-locksmithd-refit-enabled.txt");
    etcConf("flatcar-etc-update-conf-reboot-window-docs.txt");

    assertThat(refusals())
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).isEqualTo(FlatcarBackend.REBOOT_MANAGER_ENABLED))
        .satisfies(
            r ->
                assertThat(r.message())
                    .startsWith(
                        "locksmithd is not running but starts at every boot (systemctl"
                            + " is-enabled locksmithd.service: enabled) with"
                            + " REBOOT_STRATEGY=reboot (/etc/flatcar/update.conf)")
                    .endsWith("or run systemctl mask locksmithd.service"));
  }

  @Test
  void aStoppedLocksmithdWhoseStrategyIsOffIsEligible() throws Exception {
    locksmithd(
        3,
        "flatcar-systemctl-is-active-locksmithd-refit-inactive.txt",
        0,
        "flatcar-systemctl-is-enabled-locksmithd-refit-enabled.txt");
    etcConf("flatcar-etc-update-conf-refit-off-quoted-comments.txt");

    assertThat(refusals()).isEmpty();
  }

  @Test
  void aMaskedLocksmithdIsEligibleWithoutReadingTheStrategy() throws Exception {
    locksmithd(
        3,
        "flatcar-systemctl-is-active-locksmithd-refit-inactive.txt",
        1,
        "flatcar-systemctl-is-enabled-locksmithd-refit-masked.txt");

    assertThat(refusals()).isEmpty();
    assertThat(host.runner.commands()).doesNotContain(USR_CONF, ETC_CONF);
  }

  @Test
  void theFluoAgentOnTheNodeIsRefused() throws Exception {
    answer(host, IS_ACTIVE, 3, "flatcar-systemctl-is-active-locksmithd-refit-inactive.txt");
    answer(host, IS_ENABLED, 1, "flatcar-systemctl-is-enabled-locksmithd-refit-masked.txt");
    answer(host, PGREP_FLUO, 0, "flatcar-pgrep-x-update-agent-refit-found.txt");
    host.runner.answer(PGREP_KURED, new Answer.Output(1, "", ""));

    assertThat(refusals())
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).isEqualTo(FlatcarBackend.REBOOT_AGENT_RUNNING))
        .satisfies(
            r ->
                assertThat(r.message())
                    .startsWith(
                        "FLUO's update-agent runs on this node (pgrep -x update-agent: PID 2481)")
                    .contains("exclude this node from the FLUO agent DaemonSet"));
  }

  @Test
  void kuredOnTheNodeIsRefusedBecauseUpdateEngineAsksItToReboot() throws Exception {
    answer(host, IS_ACTIVE, 3, "flatcar-systemctl-is-active-locksmithd-refit-inactive.txt");
    answer(host, IS_ENABLED, 1, "flatcar-systemctl-is-enabled-locksmithd-refit-masked.txt");
    host.runner.answer(PGREP_FLUO, new Answer.Output(1, "", ""));
    host.runner.answer(PGREP_KURED, new Answer.Output(0, "733\n", ""));

    assertThat(refusals())
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.message())
                    .contains("kured runs on this node")
                    .contains("/run/reboot-required"));
  }

  @Test
  void aFailingPgrepIsAnErrorNotAnEligibleHost() {
    answer(host, IS_ACTIVE, 3, "flatcar-systemctl-is-active-locksmithd-refit-inactive.txt");
    answer(host, IS_ENABLED, 1, "flatcar-systemctl-is-enabled-locksmithd-refit-masked.txt");
    host.runner.answer(PGREP_FLUO, new Answer.Output(2, "", "pgrep: invalid option\n"));

    assertThatThrownBy(backend::facts)
        .isInstanceOfSatisfying(
            HostException.class,
            e -> assertThat(e.reason()).isEqualTo(HostException.COMMAND_FAILED))
        .hasMessageContaining("pgrep -x update-agent exited 2");
  }

  @Test
  void anUnexpectedSystemctlAnswerIsUnparseableNotAGuess() {
    host.runner.answer(
        IS_ACTIVE,
        new Answer.Output(1, "", "Failed to connect to bus: No such file or directory\n"));

    assertThatThrownBy(backend::facts)
        .isInstanceOfSatisfying(
            HostException.class,
            e -> assertThat(e.reason()).isEqualTo(HostException.UNPARSEABLE_OUTPUT))
        .hasMessageContaining("systemctl is-active locksmithd.service")
        .hasMessageContaining("expected a unit state word");
  }

  @Test
  void theStrategyIsTheLastAssignmentUnquotedAndOtherSettingsDoNotCount() {
    assertThat(read("flatcar-etc-update-conf-refit-off-quoted-comments.txt")).contains("off");
    assertThat(read("flatcar-etc-update-conf-reboot-window-docs.txt")).contains("reboot");
    assertThat(read("flatcar-etc-update-conf-etcd-lock-docs.txt")).contains("etcd-lock");
    assertThat(read("flatcar-etc-update-conf-server-disabled-docs.txt")).isEmpty();
    assertThat(read("flatcar-etc-update-conf-nebraska-issue413.txt")).isEmpty();
    assertThat(read("flatcar-usr-share-update-conf-refit-stable.txt")).isEmpty();
  }

  static Optional<String> read(String fixture) {
    return FlatcarRebootManagers.assigned(Optional.of(Fixtures.read(fixture)));
  }
}
