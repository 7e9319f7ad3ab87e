package dev.refit.updater.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.api.OSTarget;
import dev.refit.updater.Fixtures;
import dev.refit.updater.agent.HostFacts;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootcBackendTest {

  static final List<String> STATUS = List.of("bootc", "status", "--format=json");
  final ScriptedHost host = new ScriptedHost();
  final BootcBackend backend = new BootcBackend(host.runner, host.boot, host.selinux);

  void status(String fixture) {
    host.runner.succeed(STATUS, Fixtures.read(fixture));
  }

  @Test
  void factsShowBootedAndStagedImagesByDigest() throws Exception {
    status("bootc-status-v1alpha1-staged-booted-fixture.yaml");

    HostFacts facts = backend.facts();

    assertThat(facts.booted().getImage()).isEqualTo("quay.io/example/someimage:latest");
    assertThat(facts.booted().getDigest()).startsWith("sha256:736b3594");
    assertThat(facts.staged().orElseThrow().getDigest()).startsWith("sha256:16dc2b62");
  }

  @Test
  void stagingSwitchesToTheImageWithoutApplyingIt() throws Exception {
    status("bootc-status-v1alpha1-booted-rollback.json");
    String target = "quay.io/example/node@sha256:" + "e".repeat(64);
    host.runner.succeed(List.of("bootc", "switch", target), "");

    StageProgress progress = backend.stage(OSTarget.image(target), null, backend.facts());

    assertThat(progress).isInstanceOf(StageProgress.Done.class);
    assertThat(host.actions()).containsExactly(List.of("bootc", "switch", target));
  }

  @Test
  void theStagedDigestIsNotSwitchedToAgain() throws Exception {
    status("bootc-status-v1alpha1-staged-booted-fixture.yaml");
    String staged =
        "quay.io/example/someimage@sha256:16dc2b6256b4ff0d2ec18d2dbfb06d117904010c8cf9732cdb022818cf7a7566";

    backend.stage(OSTarget.image(staged), null, backend.facts());

    assertThat(host.actions()).isEmpty();
  }

  @Test
  void finalizeIsASystemdReboot() throws Exception {
    status("bootc-status-v1alpha1-staged-booted-fixture.yaml");
    host.runner.succeed(List.of("systemctl", "reboot"), "");

    backend.finalizeAndReboot(backend.facts());

    assertThat(host.actions()).containsExactly(List.of("systemctl", "reboot"));
  }

  @Test
  void rollbackQueuesTheRollbackOnceThenReboots() throws Exception {
    status("bootc-status-v1alpha1-booted-rollback.json");
    host.runner.succeed(BootcBackend.ROLLBACK, "");
    host.runner.succeed(List.of("systemctl", "reboot"), "");

    backend.rollbackAndReboot(backend.facts());

    assertThat(host.actions())
        .containsExactly(BootcBackend.ROLLBACK, List.of("systemctl", "reboot"));
  }

  @Test
  void aHostBootcDoesNotManageIsAClearError() {
    status("bootc-status-v1-all-null-fixture.json");

    assertThatThrownBy(backend::facts)
        .isInstanceOf(HostException.class)
        .hasMessageContaining("not a bootc host");
  }

  @Test
  void theHumanFormatIsRejectedWithAHint() {
    status("bootc-status-humanreadable-fedora-bootc-41-booted-only.txt");

    assertThatThrownBy(backend::facts).hasMessageContaining("--format=json");
  }

  @Test
  void truncatedJsonIsRejected() {
    status("bootc-status-refit-truncated.json");

    assertThatThrownBy(backend::facts)
        .extracting(e -> ((HostException) e).reason())
        .isEqualTo(HostException.UNPARSEABLE_OUTPUT);
  }
}
