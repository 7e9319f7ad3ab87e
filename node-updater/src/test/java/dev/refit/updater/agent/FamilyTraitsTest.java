package dev.refit.updater.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.api.ActionState;
import dev.refit.api.NodeAction;
import dev.refit.api.OSFamily;
import dev.refit.api.OSNodeStatus;
import dev.refit.api.OSTarget;
import dev.refit.updater.backend.bootc.BootcBackend;
import dev.refit.updater.backend.bottlerocket.BottlerocketBackend;
import dev.refit.updater.backend.fake.FakeBackend;
import dev.refit.updater.backend.fake.FakeHost;
import dev.refit.updater.backend.fake.FakeMachine;
import dev.refit.updater.backend.flatcar.FlatcarBackend;
import dev.refit.updater.backend.rpmostree.RpmOstreeBackend;
import dev.refit.updater.host.HostException;
import dev.refit.updater.hostmodel.BootcHost;
import dev.refit.updater.hostmodel.BottlerocketHost;
import dev.refit.updater.hostmodel.FlatcarHost;
import dev.refit.updater.hostmodel.RpmOstreeHost;
import dev.refit.updater.hostmodel.SimulatedHost;
import dev.refit.updater.selinux.SelinuxTools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every backend behaves as its family's traits in {@link OSFamily} say: it reports SELinux as
 * configurable exactly where the family's policy is, it offers and carries out a rollback exactly
 * where the family supports one, and it stages the kinds of target the family accepts. Each real
 * backend runs over the model of its OS; the fake backend, which the simulator runs for every
 * family, is checked for every family.
 */
class FamilyTraitsTest {

  static final String OLD = "1.0.0";
  static final String NEW = "2.0.0";

  /**
   * One backend over one host on a clock; {@code boot} reboots the host if a reboot was asked (the
   * fake host reboots by itself).
   */
  record Rig(
      String name,
      OSFamily family,
      OSTarget target,
      OsBackend backend,
      ManualClock clock,
      Runnable boot) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Rig> rigs() {
    List<Rig> rigs = new ArrayList<>();
    ManualClock clock = new ManualClock();
    RpmOstreeHost byRef = RpmOstreeHost.followingRef(OLD).publish(NEW);
    rigs.add(rpmOstree("rpm-ostree by version", OSFamily.FedoraCoreOS, byRef, version()));
    RpmOstreeHost byImage = RpmOstreeHost.followingImage(OLD).publish(NEW);
    OSTarget image =
        OSTarget.image(RpmOstreeHost.IMAGE + "@" + RpmOstreeHost.Build.of(NEW).digest());
    rigs.add(rpmOstree("rpm-ostree by image", OSFamily.RHCOS, byImage, image));

    String repo = "registry.example.com/os/node";
    String newDigest = "sha256:" + "2".repeat(64);
    BootcHost bootc =
        new BootcHost(repo + ":stable", "sha256:" + "1".repeat(64), OLD)
            .publish(repo + ":next", newDigest, NEW);
    bootc.unit(BootcHost.UPDATE_TIMER, false, false);
    rigs.add(
        new Rig(
            "bootc",
            OSFamily.Bootc,
            OSTarget.image(repo + "@" + newDigest),
            new BootcBackend(bootc, bootc.hostBoot(), new SelinuxTools(bootc, bootc.state())),
            clock,
            bootWhenAsked(bootc)));

    BottlerocketHost bottlerocket =
        new BottlerocketHost(clock, "aws-k8s-1.28", "1.19.2").publishing("1.20.0", "1.19.2");
    rigs.add(
        new Rig(
            "bottlerocket",
            OSFamily.Bottlerocket,
            OSTarget.version("1.20.0"),
            new BottlerocketBackend(
                bottlerocket,
                bottlerocket.hostBoot(),
                clock,
                Duration.ofMinutes(10),
                clock::advance),
            clock,
            bootWhenAsked(bottlerocket)));

    FlatcarHost flatcar = new FlatcarHost("4426.1.0").offering("4459.1.0");
    flatcar.etcUpdateConf("GROUP=stable\nREBOOT_STRATEGY=off\n");
    flatcar.startLocksmithd();
    rigs.add(
        new Rig(
            "flatcar",
            OSFamily.Flatcar,
            OSTarget.version("4459.1.0"),
            new FlatcarBackend(
                flatcar, flatcar.hostBoot(), new SelinuxTools(flatcar, flatcar.state())),
            clock,
            bootWhenAsked(flatcar)));

    for (OSFamily family : OSFamily.values()) {
      OSTarget from = family.acceptsVersion() ? OSTarget.version(OLD) : OSTarget.image("r/os:1");
      OSTarget to = family.acceptsVersion() ? OSTarget.version(NEW) : OSTarget.image("r/os:2");
      FakeHost host =
          new FakeHost(family, FakeHost.deploymentOf(from), FakeMachine.inMemory("node"), clock);
      rigs.add(new Rig("fake " + family, family, to, new FakeBackend(host), clock, () -> {}));
    }
    return rigs.stream();
  }

  static OSTarget version() {
    return OSTarget.version(NEW);
  }

  static Rig rpmOstree(String name, OSFamily family, RpmOstreeHost host, OSTarget target) {
    return new Rig(
        name,
        family,
        target,
        new RpmOstreeBackend(
            family, host, host.hostBoot(), new SelinuxTools(host, host.state()), host::elapse),
        new ManualClock(),
        bootWhenAsked(host));
  }

  static Runnable bootWhenAsked(SimulatedHost host) {
    return () -> {
      if (host.rebootAsked().isPresent()) {
        host.boot();
      }
    };
  }

  /** The real agent over the rig's backend, stepped like the host model tests step it. */
  static final class Driver {
    final ManualClock clock;
    final MemoryApi api = new MemoryApi("worker-1");
    final Rig rig;
    final NodeAgent agent;

    Driver(Rig rig) {
      this.rig = rig;
      this.clock = rig.clock();
      this.agent =
          new NodeAgent(
              "worker-1",
              rig.backend(),
              api,
              ModuleSources.inlineOnly(),
              new InertExecutor(),
              clock,
              new AgentSettings(
                  Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofSeconds(1), 3),
              AgentMetrics.NONE);
    }

    OSNodeStatus until(NodeAction action, String actionId) {
      api.instruct(rig.target(), action, actionId);
      for (int i = 0; i < 100; i++) {
        agent.onOsNode(api.get());
        agent.stepNow();
        clock.advance(Duration.ofSeconds(10));
        OSNodeStatus status = api.status();
        if (actionId.equals(status.getObservedActionId())
            && status.getActionState() != ActionState.Running) {
          return status;
        }
        rig.boot().run();
      }
      throw new AssertionError(rig + " never finished " + actionId + ": " + api.status());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rigs")
  void theBackendReportsSelinuxAsConfigurableExactlyWhereTheFamilySaysSo(Rig rig)
      throws HostException {
    assertThat(rig.backend().family()).isEqualTo(rig.family());
    assertThat(rig.backend().facts().selinux().configurable())
        .isEqualTo(rig.family().selinuxConfigurable());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rigs")
  void theBackendStagesAndAppliesATargetOfAKindItsFamilyAccepts(Rig rig) {
    assertThat(
            rig.target().getImage() != null
                ? rig.family().acceptsImage()
                : rig.family().acceptsVersion())
        .isTrue();
    Driver driver = new Driver(rig);

    assertThat(driver.until(NodeAction.Stage, "s1").getActionState())
        .isEqualTo(ActionState.Succeeded);
    assertThat(driver.until(NodeAction.Apply, "a1").getActionState())
        .isEqualTo(ActionState.Succeeded);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rigs")
  void afterAnUpdateTheBackendOffersARollbackExactlyWhereTheFamilySupportsOne(Rig rig)
      throws HostException {
    Driver driver = new Driver(rig);
    driver.until(NodeAction.Stage, "s1");
    OSNodeStatus applied = driver.until(NodeAction.Apply, "a1");
    assertThat(applied.getActionState()).isEqualTo(ActionState.Succeeded);

    assertThat(applied.getRollback() != null).isEqualTo(rig.family().rollbackSupported());
    assertThat(rig.backend().facts().rollback().isPresent())
        .isEqualTo(rig.family().rollbackSupported());
    OSNodeStatus rolledBack = driver.until(NodeAction.Rollback, "r1");
    assertThat(rolledBack.getActionState())
        .isEqualTo(rig.family().rollbackSupported() ? ActionState.Succeeded : ActionState.Failed);
  }

  @Test
  void aBackendWhoseFamilyHasNoRollbackRefusesOneOutright() {
    Set<OSFamily> without = EnumSet.noneOf(OSFamily.class);
    for (OSFamily family : OSFamily.values()) {
      if (!family.rollbackSupported()) {
        without.add(family);
      }
    }
    assertThat(without).containsExactly(OSFamily.Flatcar);
    FlatcarHost host = new FlatcarHost("4426.1.0");
    FlatcarBackend backend =
        new FlatcarBackend(host, host.hostBoot(), new SelinuxTools(host, host.state()));

    assertThatThrownBy(() -> backend.rollbackAndReboot(null))
        .isInstanceOfSatisfying(
            HostException.class,
            e -> assertThat(e.reason()).isEqualTo(FlatcarBackend.ROLLBACK_UNSUPPORTED));
    assertThat(host.rebootAsked()).isEmpty();
  }
}
