package dev.refit.updater.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.api.OSTarget;
import dev.refit.updater.Fixtures;
import dev.refit.updater.agent.HostFacts;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlatcarBackendTest {

  static final List<String> STATUS = List.of("update_engine_client", "-status");
  final ScriptedHost host = new ScriptedHost();
  final FlatcarBackend backend = new FlatcarBackend(host.runner, host.boot, host.selinux);

  FlatcarBackendTest() {
    host.runner.succeed(
        List.of("cat", "/etc/os-release"), Fixtures.read("os-release-flatcar-3510.3.5-lts.txt"));
  }

  void status(String fixture) {
    host.runner.succeed(STATUS, Fixtures.read(fixture));
  }

  @Test
  void factsShowTheBootedVersionFromOsRelease() throws Exception {
    status("update-engine-client-status-idle-flatcar-3139.txt");

    HostFacts facts = backend.facts();

    assertThat(facts.booted().getVersion()).isEqualTo("3510.3.5");
    assertThat(facts.staged()).isEmpty();
  }

  @Test
  void stagingAsksUpdateEngineToCheckAndThenPollsItsStatus() throws Exception {
    status("update-engine-client-status-idle-flatcar-3139.txt");
    host.runner.succeed(FlatcarBackend.CHECK, "");

    StageProgress first = backend.stage(OSTarget.version("3815.2.1"), null, backend.facts());

    assertThat(first).isInstanceOf(StageProgress.InProgress.class);
    assertThat(host.actions())
        .containsExactly(List.of("update_engine_client", "-check_for_update"));
  }

  @Test
  void aDownloadInProgressIsWaitedFor() throws Exception {
    status("update-engine-client-update-downloading-flatcar-3815.2.1-partial.txt");

    StageProgress progress = backend.stage(OSTarget.version("3815.2.1"), null, backend.facts());

    assertThat(progress).isInstanceOf(StageProgress.InProgress.class);
    assertThat(((StageProgress.InProgress) progress).detail()).contains("DOWNLOADING");
  }

  @Test
  void anIdleEngineAfterTheCheckMeansTheServerOffersNoSuchVersion() throws Exception {
    status("update-engine-client-status-idle-flatcar-3139.txt");
    host.runner.succeed(FlatcarBackend.CHECK, "");
    HostFacts facts = backend.facts();
    backend.stage(OSTarget.version("3815.2.1"), null, facts);

    assertThatThrownBy(() -> backend.stage(OSTarget.version("3815.2.1"), null, facts))
        .isInstanceOf(HostException.class)
        .hasMessageContaining("/etc/flatcar/update.conf");
  }

  @Test
  void anInstalledTargetNeedingARebootIsStaged() throws Exception {
    status("update-engine-client-update-need-reboot-flatcar-2079.3.2.txt");

    assertThat(backend.stage(OSTarget.version("2079.3.2"), null, backend.facts()))
        .isInstanceOf(StageProgress.Done.class);
    assertThat(backend.facts().staged().orElseThrow().getVersion()).isEqualTo("2079.3.2");
  }

  @Test
  void anInstalledUpdateOfUnknownVersionIsNotTakenForTheTarget() throws Exception {
    status("update-engine-client-status-need-reboot-coreos-cl-2016.txt");

    assertThatThrownBy(() -> backend.stage(OSTarget.version("3815.2.1"), null, backend.facts()))
        .hasMessageContaining("does not report");
  }

  @Test
  void aRefusedDbusCallIsAClearError() {
    status("update-engine-client-status-dbus-error-null-flatcar-4426.txt");

    assertThatThrownBy(backend::facts).hasMessageContaining("D-Bus");
  }

  @Test
  void finalizeIsASystemdReboot() throws Exception {
    status("update-engine-client-update-need-reboot-flatcar-2079.3.2.txt");
    host.runner.succeed(List.of("systemctl", "reboot"), "");

    backend.finalizeAndReboot(backend.facts());

    assertThat(host.actions()).containsExactly(List.of("systemctl", "reboot"));
  }
}
