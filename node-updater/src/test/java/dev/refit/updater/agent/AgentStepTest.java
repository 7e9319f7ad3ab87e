package dev.refit.updater.agent;

import static dev.refit.updater.agent.Hosts.NEW;
import static dev.refit.updater.agent.Hosts.OLD;
import static dev.refit.updater.agent.Hosts.TARGET;
import static dev.refit.updater.agent.Hosts.host;
import static dev.refit.updater.agent.Hosts.order;
import static dev.refit.updater.agent.Hosts.refused;
import static dev.refit.updater.agent.Hosts.version;
import static dev.refit.updater.agent.Hosts.withFamily;
import static dev.refit.updater.agent.Hosts.withRequest;
import static dev.refit.updater.agent.Hosts.withRollback;
import static dev.refit.updater.agent.Hosts.withSelinux;
import static dev.refit.updater.agent.Hosts.withStaged;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.ActionState;
import dev.refit.api.HostError;
import dev.refit.api.NodeAction;
import dev.refit.api.OSFamily;
import dev.refit.api.OSTarget;
import dev.refit.api.SELinuxBoolean;
import dev.refit.api.SELinuxMode;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.agent.AgentDecision.Kind;
import dev.refit.updater.selinux.HostSelinuxMode;
import dev.refit.updater.selinux.SelinuxFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every row of the agent's decision table: work order x record x host facts -> next step. */
class AgentStepTest {

  static final Instant NOW = Instant.parse("2025-01-10T10:00:00Z");
  static final Duration GRACE = Duration.ofMinutes(10);
  static final String STAGE = "rev-stage-0";
  static final String APPLY = "rev-apply-0";
  static final String ROLLBACK = "rev-rollback-0";

  /** One row: the inputs and what must come out. */
  record Row(
      String says,
      Desired desired,
      ActionRecord record,
      HostFacts facts,
      Kind kind,
      ActionState state,
      String bootIdBefore,
      String errorReason) {
    @Override
    public String toString() {
      return says;
    }
  }

  static ActionRecord running(String id, String before) {
    return ActionRecord.running(id, before);
  }

  static ActionRecord done(String id, ActionState state) {
    return new ActionRecord(
        id,
        state,
        null,
        state == ActionState.Failed ? new HostError("CommandFailed", "x", null) : null);
  }

  static final HostFacts OLD_B1 = host("b1", version(OLD));
  static final HostFacts STAGED_B1 = withStaged(OLD_B1, version(NEW));
  static final HostFacts NEW_B2 = host("b2", version(NEW));
  static final HostFacts OLD_B2 = host("b2", version(OLD));

  static SELinuxPolicy booleanOn() {
    SELinuxPolicy p = new SELinuxPolicy();
    p.setBooleans(List.of(new SELinuxBoolean("virt_use_nfs", true)));
    return p;
  }

  static SELinuxPolicy permissive() {
    SELinuxPolicy p = new SELinuxPolicy();
    p.setMode(SELinuxMode.Permissive);
    return p;
  }

  static SELinuxPolicy enforcing() {
    SELinuxPolicy p = new SELinuxPolicy();
    p.setMode(SELinuxMode.Enforcing);
    return p;
  }

  static SELinuxPolicy permissiveWithBoolean() {
    SELinuxPolicy p = permissive();
    p.setBooleans(List.of(new SELinuxBoolean("virt_use_nfs", true)));
    return p;
  }

  static Stream<Row> table() {
    Instant fresh = NOW.minusSeconds(30);
    Instant stale = NOW.minus(GRACE).minusSeconds(1);
    return Stream.of(
        new Row(
            "a new Stage on a host that is not eligible waits, unstarted",
            order(NodeAction.Stage, STAGE),
            ActionRecord.NONE,
            refused(OLD_B1),
            Kind.REFUSED,
            null,
            null,
            null),
        new Row(
            "a running Stage is looked after though the host turned ineligible",
            order(NodeAction.Stage, STAGE),
            running(STAGE, null),
            refused(OLD_B1),
            Kind.STAGE,
            ActionState.Running,
            null,
            null),
        new Row(
            "a new Apply on a host that is not eligible does not reboot it",
            order(NodeAction.Apply, APPLY),
            ActionRecord.NONE,
            refused(STAGED_B1),
            Kind.REFUSED,
            null,
            null,
            null),
        new Row(
            "a Rollback on a host that is not eligible does not reboot it",
            order(NodeAction.Rollback, ROLLBACK),
            ActionRecord.NONE,
            refused(withRollback(NEW_B2, version(OLD))),
            Kind.REFUSED,
            null,
            null,
            null),
        new Row(
            "a reboot requested before the host turned ineligible is still awaited",
            order(NodeAction.Apply, APPLY),
            running(APPLY, "b1"),
            refused(withRequest(STAGED_B1, APPLY, fresh)),
            Kind.AWAIT_REBOOT,
            ActionState.Running,
            "b1",
            null),
        new Row(
            "a reboot into the target is reported though the host is not eligible",
            order(NodeAction.Apply, APPLY),
            running(APPLY, "b1"),
            refused(NEW_B2),
            Kind.REPORT,
            ActionState.Succeeded,
            "b1",
            null),
        new Row(
            "no instruction: only report",
            Desired.NOTHING,
            ActionRecord.NONE,
            OLD_B1,
            Kind.REPORT,
            null,
            null,
            null),
        new Row(
            "a new Stage starts staging, Running",
            order(NodeAction.Stage, STAGE),
            ActionRecord.NONE,
            OLD_B1,
            Kind.STAGE,
            ActionState.Running,
            null,
            null),
        new Row(
            "a running Stage continues (after a restart too)",
            order(NodeAction.Stage, STAGE),
            running(STAGE, null),
            OLD_B1,
            Kind.STAGE,
            ActionState.Running,
            null,
            null),
        new Row(
            "a Stage of an already staged target succeeds at once",
            order(NodeAction.Stage, STAGE),
            ActionRecord.NONE,
            STAGED_B1,
            Kind.REPORT,
            ActionState.Succeeded,
            null,
            null),
        new Row(
            "a Stage of the running target succeeds at once",
            order(NodeAction.Stage, STAGE),
            ActionRecord.NONE,
            NEW_B2,
            Kind.REPORT,
            ActionState.Succeeded,
            null,
            null),
        new Row(
            "a succeeded Stage is never repeated",
            order(NodeAction.Stage, STAGE),
            done(STAGE, ActionState.Succeeded),
            OLD_B1,
            Kind.REPORT,
            ActionState.Succeeded,
            null,
            null),
        new Row(
            "a failed Stage is never retried by the agent",
            order(NodeAction.Stage, STAGE),
            done(STAGE, ActionState.Failed),
            OLD_B1,
            Kind.REPORT,
            ActionState.Failed,
            null,
            "CommandFailed"),
        new Row(
            "an image target on Flatcar fails, naming os.version",
            order(OSTarget.image("quay.io/x/y:1"), null, NodeAction.Stage, STAGE),
            ActionRecord.NONE,
            withFamily(OLD_B1, OSFamily.Flatcar),
            Kind.REPORT,
            ActionState.Failed,
            null,
            AgentStep.UNSUPPORTED_TARGET),
        new Row(
            "a target for another family fails, never staged",
            order(withFamilyHint(OSFamily.Bottlerocket), null, NodeAction.Stage, STAGE),
            ActionRecord.NONE,
            OLD_B1,
            Kind.REPORT,
            ActionState.Failed,
            null,
            AgentStep.UNSUPPORTED_TARGET),
        new Row(
            "a new Apply records the boot ID, then reboots",
            order(NodeAction.Apply, APPLY),
            ActionRecord.NONE,
            STAGED_B1,
            Kind.REBOOT,
            ActionState.Running,
            "b1",
            null),
        new Row(
            "a running Apply in the same boot with no request on the host reboots (first)",
            order(NodeAction.Apply, APPLY),
            running(APPLY, "b1"),
            STAGED_B1,
            Kind.REBOOT,
            ActionState.Running,
            "b1",
            null),
        new Row(
            "a running Apply without a recorded boot ID records it before rebooting",
            order(NodeAction.Apply, APPLY),
            running(APPLY, null),
            STAGED_B1,
            Kind.REBOOT,
            ActionState.Running,
            "b1",
            null),
        new Row(
            "a reboot requested in this boot is awaited, never asked again",
            order(NodeAction.Apply, APPLY),
            running(APPLY, "b1"),
            withRequest(STAGED_B1, APPLY, fresh),
            Kind.AWAIT_REBOOT,
            ActionState.Running,
            "b1",
            null),
        new Row(
            "a reboot that did not happen within the grace fails, never asked again",
            order(NodeAction.Apply, APPLY),
            running(APPLY, "b1"),
            withRequest(STAGED_B1, APPLY, stale),
            Kind.REPORT,
            ActionState.Failed,
            "b1",
            AgentStep.REBOOT_DID_NOT_HAPPEN),
        new Row(
            "a withdrawn instruction whose reboot was requested is awaited through the grace",
            order(NodeAction.None, null),
            running(APPLY, "b1"),
            withRequest(STAGED_B1, APPLY, fresh),
            Kind.AWAIT_REBOOT,
            ActionState.Running,
            "b1",
            null),
        new Row(
            "a withdrawn instruction whose reboot did not happen within the grace is settled",
            order(NodeAction.None, null),
            running(APPLY, "b1"),
            withRequest(STAGED_B1, APPLY, stale),
            Kind.REPORT,
            ActionState.Failed,
            "b1",
            AgentStep.WITHDRAWN),
        new Row(
            "a withdrawn instruction whose reboot was never requested is settled at once",
            order(NodeAction.None, null),
            running(APPLY, "b1"),
            STAGED_B1,
            Kind.REPORT,
            ActionState.Failed,
            "b1",
            AgentStep.WITHDRAWN),
        new Row(
            "a withdrawn instruction after a new boot is left as it is: the reboot happened",
            order(NodeAction.None, null),
            running(APPLY, "b1"),
            NEW_B2,
            Kind.REPORT,
            ActionState.Running,
            "b1",
            null),
        new Row(
            "a new boot running the target: Apply succeeded",
            order(NodeAction.Apply, APPLY),
            running(APPLY, "b1"),
            NEW_B2,
            Kind.REPORT,
            ActionState.Succeeded,
            "b1",
            null),
        new Row(
            "a new boot running the old OS: Apply failed, not rebooted again",
            order(NodeAction.Apply, APPLY),
            running(APPLY, "b1"),
            OLD_B2,
            Kind.REPORT,
            ActionState.Failed,
            "b1",
            AgentStep.BOOTED_WRONG),
        new Row(
            "Apply with nothing staged fails instead of rebooting into the same OS",
            order(NodeAction.Apply, APPLY),
            ActionRecord.NONE,
            OLD_B1,
            Kind.REPORT,
            ActionState.Failed,
            null,
            AgentStep.NOTHING_STAGED),
        new Row(
            "Apply on a host already running the target succeeds without a reboot",
            order(NodeAction.Apply, APPLY),
            ActionRecord.NONE,
            NEW_B2,
            Kind.REPORT,
            ActionState.Succeeded,
            null,
            null),
        new Row(
            "a boolean-only change applies live",
            order(TARGET, booleanOn(), NodeAction.Apply, APPLY),
            ActionRecord.NONE,
            NEW_B2,
            Kind.APPLY_LIVE,
            ActionState.Running,
            null,
            null),
        new Row(
            "a switch between Enforcing and Permissive applies live, without a reboot",
            order(TARGET, permissive(), NodeAction.Apply, APPLY),
            ActionRecord.NONE,
            withSelinux(
                NEW_B2, Hosts.selinux(HostSelinuxMode.ENFORCING, HostSelinuxMode.PERMISSIVE)),
            Kind.APPLY_LIVE,
            ActionState.Running,
            null,
            null),
        new Row(
            "a setenforce 0 made by hand is put back live",
            order(TARGET, enforcing(), NodeAction.Apply, APPLY),
            ActionRecord.NONE,
            withSelinux(
                NEW_B2, Hosts.selinux(HostSelinuxMode.PERMISSIVE, HostSelinuxMode.ENFORCING)),
            Kind.APPLY_LIVE,
            ActionState.Running,
            null,
            null),
        new Row(
            "Stage of a live mode switch has nothing to stage",
            order(TARGET, permissive(), NodeAction.Stage, STAGE),
            ActionRecord.NONE,
            NEW_B2,
            Kind.REPORT,
            ActionState.Succeeded,
            null,
            null),
        new Row(
            "Stage on a host with SELinux disabled writes the mode for the next boot",
            order(TARGET, permissive(), NodeAction.Stage, STAGE),
            ActionRecord.NONE,
            withSelinux(NEW_B2, Hosts.disabled(HostSelinuxMode.DISABLED)),
            Kind.STAGE,
            ActionState.Running,
            null,
            null),
        new Row(
            "SELinux disabled in this boot takes a reboot once the next boot has the mode",
            order(TARGET, permissive(), NodeAction.Apply, APPLY),
            ActionRecord.NONE,
            withSelinux(NEW_B2, Hosts.disabled(HostSelinuxMode.PERMISSIVE)),
            Kind.REBOOT,
            ActionState.Running,
            "b2",
            null),
        new Row(
            "SELinux disabled in this boot and at the next is not rebooted for",
            order(TARGET, permissive(), NodeAction.Apply, APPLY),
            ActionRecord.NONE,
            withSelinux(NEW_B2, Hosts.disabled(HostSelinuxMode.DISABLED)),
            Kind.REPORT,
            ActionState.Failed,
            null,
            AgentStep.NOTHING_STAGED),
        new Row(
            "after the boot that turned SELinux on, the booleans apply live",
            order(TARGET, permissiveWithBoolean(), NodeAction.Apply, APPLY),
            running(APPLY, "b1"),
            withSelinux(
                host("b2", version(NEW)),
                Hosts.selinux(HostSelinuxMode.PERMISSIVE, HostSelinuxMode.PERMISSIVE)),
            Kind.APPLY_LIVE,
            ActionState.Running,
            "b1",
            null),
        new Row(
            "SELinux still disabled after the boot fails the Apply, saying so",
            order(TARGET, permissive(), NodeAction.Apply, APPLY),
            running(APPLY, "b1"),
            withSelinux(host("b2", version(NEW)), Hosts.disabled(HostSelinuxMode.PERMISSIVE)),
            Kind.REPORT,
            ActionState.Failed,
            "b1",
            AgentStep.SELINUX_STILL_DISABLED),
        new Row(
            "Bottlerocket's fixed SELinux never blocks an Apply",
            order(TARGET, permissive(), NodeAction.Apply, APPLY),
            ActionRecord.NONE,
            withSelinux(
                withFamily(NEW_B2, OSFamily.Bottlerocket),
                SelinuxFacts.fixed(Optional.of(HostSelinuxMode.ENFORCING))),
            Kind.REPORT,
            ActionState.Succeeded,
            null,
            null),
        new Row(
            "a finished Apply is never redone, even after another boot",
            order(NodeAction.Apply, APPLY),
            done(APPLY, ActionState.Succeeded),
            OLD_B2,
            Kind.REPORT,
            ActionState.Succeeded,
            null,
            null),
        new Row(
            "a Rollback reboots into the rollback deployment",
            order(NodeAction.Rollback, ROLLBACK),
            ActionRecord.NONE,
            withRollback(NEW_B2, version(OLD)),
            Kind.ROLLBACK,
            ActionState.Running,
            "b2",
            null),
        new Row(
            "a Rollback without a rollback deployment fails",
            order(NodeAction.Rollback, ROLLBACK),
            ActionRecord.NONE,
            NEW_B2,
            Kind.REPORT,
            ActionState.Failed,
            null,
            AgentStep.NO_ROLLBACK),
        new Row(
            "a Rollback is done once the boot ID changed",
            order(NodeAction.Rollback, ROLLBACK),
            running(ROLLBACK, "b1"),
            host("b2", version(OLD)),
            Kind.REPORT,
            ActionState.Succeeded,
            "b1",
            null),
        new Row(
            "a Rollback requested in this boot is awaited",
            order(NodeAction.Rollback, ROLLBACK),
            running(ROLLBACK, "b2"),
            withRequest(withRollback(NEW_B2, version(OLD)), ROLLBACK, fresh),
            Kind.AWAIT_REBOOT,
            ActionState.Running,
            "b2",
            null));
  }

  static OSTarget withFamilyHint(OSFamily family) {
    OSTarget t = OSTarget.version(NEW);
    t.setFamily(family);
    return t;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decidesTheNextStep(Row row) {
    AgentDecision d = AgentStep.decide(row.desired(), row.record(), row.facts(), NOW, GRACE);

    assertThat(d.kind()).as("kind").isEqualTo(row.kind());
    assertThat(d.record().state()).as("state").isEqualTo(row.state());
    assertThat(d.record().bootIdBeforeAction()).as("bootIdBefore").isEqualTo(row.bootIdBefore());
    assertThat(d.record().error() == null ? null : d.record().error().getReason())
        .as("error")
        .isEqualTo(row.errorReason());
    if (row.desired().instructed() && row.state() != null) {
      assertThat(d.record().observedActionId()).isEqualTo(row.desired().actionId());
    }
    if (d.kind() == Kind.AWAIT_REBOOT) {
      assertThat(d.wakeAt()).isAfter(NOW);
    }
  }
}
