package dev.refit.updater.agent;

import dev.refit.api.ActionState;
import dev.refit.api.HostError;
import dev.refit.updater.agent.AgentDecision.Kind;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The agent's core: given the work order, the agent's own record and the host's facts, what to do
 * next. Pure (no I/O, the clock is an input), so it is tested as a table, and so an agent that lost
 * its memory at any point decides again from the API and the host alone.
 *
 * <p>Safety rules, each one a row of the table:
 *
 * <ul>
 *   <li>An instruction is acted on at most once: a finished one ({@code observedActionId} equals it
 *       and the state is Succeeded or Failed) is never acted on again.
 *   <li>Before a reboot the boot ID is on record in the status ({@code bootIdBeforeAction}), and
 *       the request is recorded on the host under /run (emptied by every boot) just before it is
 *       made. A boot ID different from the recorded one proves the reboot; the agent then only
 *       reports. A request found on the host for this boot is never repeated: the agent waits, and
 *       if the host has not gone down within the grace period, it reports a failure for a person.
 *   <li>Apply reboots only into a staged target; when nothing is staged it fails instead of
 *       rebooting into the same OS.
 *   <li>Nothing is started on a host that is not eligible (another agent would update or reboot it
 *       on its own): the instruction waits, unstarted, until a person fixes the host. What is
 *       already under way (a reboot requested, a staging running) is still seen through.
 * </ul>
 */
public final class AgentStep {

  /** Reasons the agent reports in {@code lastError}. */
  public static final String UNSUPPORTED_TARGET = "UnsupportedTarget";

  public static final String NOTHING_STAGED = "NothingStaged";
  public static final String NO_ROLLBACK = "NoRollbackDeployment";
  public static final String BOOTED_WRONG = "BootedWrongDeployment";
  public static final String REBOOT_DID_NOT_HAPPEN = "RebootDidNotHappen";
  public static final String WITHDRAWN = "InstructionWithdrawn";
  public static final String SELINUX_STILL_DISABLED = "SelinuxStillDisabled";

  private AgentStep() {}

  /** The next step. */
  public static AgentDecision decide(
      Desired desired, ActionRecord record, HostFacts facts, Instant now, Duration rebootGrace) {
    AgentDecision decision = decideOnFacts(desired, record, facts, now, rebootGrace);
    boolean startsWork =
        switch (decision.kind()) {
          case STAGE -> !record.observed(desired.actionId());
          case APPLY_LIVE, REBOOT, ROLLBACK -> true;
          case REPORT, AWAIT_REBOOT, REFUSED -> false;
        };
    if (startsWork && !facts.eligible()) {
      return AgentDecision.of(Kind.REFUSED, record);
    }
    return decision;
  }

  private static AgentDecision decideOnFacts(
      Desired desired, ActionRecord record, HostFacts facts, Instant now, Duration rebootGrace) {
    if (!desired.instructed() && preparedReboot(record, facts)) {
      return withdrawn(record, facts, now, rebootGrace);
    }
    if (!desired.instructed() || record.finished(desired.actionId())) {
      return AgentDecision.of(Kind.REPORT, record);
    }
    return switch (desired.action()) {
      case Stage -> stage(desired, record, facts, now);
      case Apply -> apply(desired, record, facts, now, rebootGrace);
      case Rollback -> rollback(desired, record, facts, now, rebootGrace);
      case None -> AgentDecision.of(Kind.REPORT, record);
    };
  }

  private static AgentDecision stage(
      Desired desired, ActionRecord record, HostFacts facts, Instant now) {
    String id = desired.actionId();
    Optional<AgentDecision> unusable = unusableTarget(desired, record, facts, now);
    if (unusable.isPresent()) {
      return unusable.get();
    }
    if (HostRevisions.currentIsTarget(desired, facts)
        || HostRevisions.stagedIsTarget(desired, facts)) {
      return AgentDecision.of(Kind.REPORT, start(record, id, null).succeeded());
    }
    return AgentDecision.of(Kind.STAGE, start(record, id, null));
  }

  private static AgentDecision apply(
      Desired desired, ActionRecord record, HostFacts facts, Instant now, Duration grace) {
    String id = desired.actionId();
    Optional<AgentDecision> unusable = unusableTarget(desired, record, facts, now);
    if (unusable.isPresent()) {
      return unusable.get();
    }
    boolean rebooted = rebootedSince(record, id, facts);
    if (HostRevisions.currentIsTarget(desired, facts)) {
      return AgentDecision.of(Kind.REPORT, start(record, id, null).succeeded());
    }
    if (rebooted) {
      return afterReboot(desired, record, facts, now);
    }
    if (!TargetMatch.needsReboot(desired, facts)) {
      return AgentDecision.of(Kind.APPLY_LIVE, start(record, id, null));
    }
    Optional<AgentDecision> requested = alreadyRequested(record, id, facts, now, grace);
    if (requested.isPresent()) {
      return requested.get();
    }
    if (!HostRevisions.stagedIsTarget(desired, facts)) {
      return fail(
          start(record, id, null),
          NOTHING_STAGED,
          "the target "
              + desired.os()
              + " is not staged (staged: "
              + facts.staged().map(Object::toString).orElse("nothing")
              + "); not rebooting into the same OS. Staging runs again when the operator asks",
          now);
    }
    return AgentDecision.of(Kind.REBOOT, start(record, id, facts.bootId()));
  }

  /**
   * The host rebooted for this Apply and is not on the target yet. The target OS with SELinux
   * settings still to apply (a host whose SELinux was off before this boot could take no booleans
   * or modules) continues live; anything else failed: another OS, or SELinux still off.
   */
  private static AgentDecision afterReboot(
      Desired desired, ActionRecord record, HostFacts facts, Instant now) {
    String id = desired.actionId();
    if (!TargetMatch.needsReboot(desired, facts)) {
      return AgentDecision.of(Kind.APPLY_LIVE, start(record, id, null));
    }
    if (TargetMatch.os(Optional.of(facts.booted()), desired.os(), facts.family())) {
      return fail(
          start(record, id, null),
          SELINUX_STILL_DISABLED,
          "the host rebooted (boot "
              + record.bootIdBeforeAction()
              + " -> "
              + facts.bootId()
              + ") but SELinux is still disabled (getenforce says Disabled; /etc/selinux/config"
              + " says "
              + facts.selinux().configuredMode().map(Object::toString).orElse("nothing")
              + "); a kernel argument such as selinux=0 keeps it off whatever the file says",
          now);
    }
    return fail(
        start(record, id, null),
        BOOTED_WRONG,
        "the host rebooted (boot "
            + record.bootIdBeforeAction()
            + " -> "
            + facts.bootId()
            + ") but runs "
            + facts.booted()
            + ", not the target "
            + desired.os()
            + "; it may have rolled itself back at boot",
        now);
  }

  private static AgentDecision rollback(
      Desired desired, ActionRecord record, HostFacts facts, Instant now, Duration grace) {
    String id = desired.actionId();
    if (rebootedSince(record, id, facts)) {
      return AgentDecision.of(Kind.REPORT, start(record, id, null).succeeded());
    }
    Optional<AgentDecision> requested = alreadyRequested(record, id, facts, now, grace);
    if (requested.isPresent()) {
      return requested.get();
    }
    if (facts.rollback().isEmpty()) {
      return fail(
          start(record, id, null),
          NO_ROLLBACK,
          "the host has no rollback deployment to boot (booted: " + facts.booted() + ")",
          now);
    }
    return AgentDecision.of(Kind.ROLLBACK, start(record, id, facts.bootId()));
  }

  /** A reboot prepared (its boot ID on record) in the boot the host still runs, not finished. */
  private static boolean preparedReboot(ActionRecord record, HostFacts facts) {
    return record.state() == ActionState.Running
        && record.bootIdBeforeAction() != null
        && record.bootIdBeforeAction().equals(facts.bootId());
  }

  /**
   * The operator withdrew an instruction whose reboot the agent prepared (it gave up waiting for
   * the reboot). The agent settles it, so the operator knows the host will not go down: a reboot
   * already requested may still happen until the grace period ends, so it is awaited; after that,
   * or when none was requested, the instruction is finished as Failed and nothing more is done.
   */
  private static AgentDecision withdrawn(
      ActionRecord record, HostFacts facts, Instant now, Duration grace) {
    Optional<RebootRequest> request =
        facts
            .rebootRequest()
            .filter(r -> r.actionId().equals(record.observedActionId()))
            .filter(r -> r.bootId().equals(facts.bootId()));
    if (request.isPresent() && now.isBefore(request.get().requestedAt().plus(grace))) {
      return new AgentDecision(Kind.AWAIT_REBOOT, record, request.get().requestedAt().plus(grace));
    }
    return fail(
        record,
        WITHDRAWN,
        "the operator withdrew instruction "
            + record.observedActionId()
            + (request.isPresent()
                ? "; the reboot requested at "
                    + request.get().requestedAt().truncatedTo(ChronoUnit.SECONDS)
                    + " did not happen within "
                    + grace.toSeconds()
                    + "s"
                : " before a reboot was requested")
            + "; the host stays in boot "
            + facts.bootId()
            + " on "
            + facts.booted()
            + " and will not be rebooted for it",
        now);
  }

  /** Whether the host booted again since the agent recorded the boot ID for this instruction. */
  private static boolean rebootedSince(ActionRecord record, String id, HostFacts facts) {
    return record.observed(id)
        && record.state() == ActionState.Running
        && record.bootIdBeforeAction() != null
        && !record.bootIdBeforeAction().equals(facts.bootId());
  }

  /** A reboot for this instruction was already requested in this boot: wait, or give up. */
  private static Optional<AgentDecision> alreadyRequested(
      ActionRecord record, String id, HostFacts facts, Instant now, Duration grace) {
    Optional<RebootRequest> request = facts.rebootRequest();
    if (request.isEmpty()
        || !request.get().actionId().equals(id)
        || !request.get().bootId().equals(facts.bootId())) {
      return Optional.empty();
    }
    ActionRecord running = start(record, id, facts.bootId());
    Instant deadline = request.get().requestedAt().plus(grace);
    if (now.isBefore(deadline)) {
      return Optional.of(new AgentDecision(Kind.AWAIT_REBOOT, running, deadline));
    }
    return Optional.of(
        fail(
            running,
            REBOOT_DID_NOT_HAPPEN,
            "a reboot was requested at "
                + request.get().requestedAt().truncatedTo(ChronoUnit.SECONDS)
                + " but the host is still in boot "
                + facts.bootId()
                + " after "
                + grace.toSeconds()
                + "s; the agent does not ask twice: look for a shutdown inhibitor"
                + " (systemd-inhibit --list), remove it, then delete the node's OSNode to update"
                + " it again"
                + (record.error() == null ? "" : ". Last error: " + record.error().getMessage()),
            now));
  }

  /** The target cannot be used on this host at all. */
  private static Optional<AgentDecision> unusableTarget(
      Desired desired, ActionRecord record, HostFacts facts, Instant now) {
    if (desired.os() == null) {
      return Optional.of(
          fail(
              start(record, desired.actionId(), null),
              UNSUPPORTED_TARGET,
              "the work order names no OS target",
              now));
    }
    return TargetMatch.unsupportedReason(desired.os(), facts.family())
        .map(why -> fail(start(record, desired.actionId(), null), UNSUPPORTED_TARGET, why, now));
  }

  /**
   * The record once this instruction has started: kept as it is if already started (so the boot ID
   * recorded before a reboot is never overwritten), otherwise a fresh Running record.
   */
  private static ActionRecord start(ActionRecord record, String id, String bootIdBefore) {
    if (record.observed(id) && record.state() == ActionState.Running) {
      if (record.bootIdBeforeAction() == null && bootIdBefore != null) {
        return new ActionRecord(id, ActionState.Running, bootIdBefore, record.error());
      }
      return record;
    }
    return ActionRecord.running(id, bootIdBefore);
  }

  static AgentDecision fail(ActionRecord record, String reason, String message, Instant now) {
    return AgentDecision.of(Kind.REPORT, record.failed(error(reason, message, now)));
  }

  /** A host error stamped with the time (RFC 3339, seconds). */
  public static HostError error(String reason, String message, Instant now) {
    return new HostError(reason, message, now.truncatedTo(ChronoUnit.SECONDS).toString());
  }
}
