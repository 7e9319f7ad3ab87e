package dev.refit.updater.agent;

import dev.refit.api.Condition;
import dev.refit.api.ConditionSet;
import dev.refit.api.OSNodeStatus;
import dev.refit.api.RefitApi;
import dev.refit.api.SELinuxBoolean;
import dev.refit.api.SELinuxStatus;
import dev.refit.updater.selinux.HostSelinuxMode;
import dev.refit.updater.selinux.SelinuxFacts;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Builds the status the agent reports: the host's facts, the revisions they amount to, the action
 * record, and the conditions Eligible, Staged, Rebooted and Degraded (each keeps its
 * lastTransitionTime until its status changes, so a rewrite with the same facts is the same
 * status).
 */
public final class StatusComposer {

  /** Condition types the agent writes. */
  public static final String STAGED = "Staged";

  public static final String REBOOTED = "Rebooted";
  public static final String DEGRADED = "Degraded";

  /** Condition reasons the agent writes (its refusals carry their backend's reasons). */
  public static final String AS_EXPECTED = "AsExpected";

  public static final String CURRENT = "Current";
  public static final String TARGET_STAGED = "TargetStaged";
  public static final String NOT_STAGED = "NotStaged";
  public static final String NEW_BOOT = "NewBoot";
  public static final String SAME_BOOT = "SameBoot";
  public static final String HOST_ELIGIBLE = "HostEligible";

  private StatusComposer() {}

  /** The full status for these facts and this record. */
  public static OSNodeStatus compose(
      Desired desired,
      ActionRecord record,
      HostFacts facts,
      OSNodeStatus previous,
      Long generation,
      Instant now) {
    OSNodeStatus status = new OSNodeStatus();
    status.setObservedGeneration(generation);
    status.setFamily(facts.family());
    status.setBooted(facts.booted());
    status.setStaged(facts.staged().orElse(null));
    status.setRollback(facts.rollback().orElse(null));
    status.setBootId(facts.bootId());
    status.setSelinux(selinux(desired, facts.selinux()));
    List<String> drift = SelinuxDrift.describe(desired, facts);
    status.setSelinuxDrift(drift.isEmpty() ? null : drift);
    status.setCurrentRevision(HostRevisions.current(desired, facts));
    status.setStagedRevision(HostRevisions.staged(desired, facts));
    status.setRebootPending(rebootPending(desired, facts));
    status.setObservedActionId(record.observedActionId());
    status.setActionState(record.state());
    status.setBootIdBeforeAction(record.bootIdBeforeAction());
    status.setLastError(record.error());
    status.setConditions(conditions(desired, record, facts, previous, generation, now));
    return status;
  }

  /**
   * The previous status with another action record, for when the facts cannot be read: what was
   * last reported about the host stays, the record and the Degraded condition change.
   */
  public static OSNodeStatus withRecord(
      OSNodeStatus previous, ActionRecord record, Long generation, Instant now) {
    OSNodeStatus status =
        previous == null
            ? new OSNodeStatus()
            : Serialization.jsonMapper().convertValue(previous, OSNodeStatus.class);
    status.setObservedGeneration(generation);
    status.setObservedActionId(record.observedActionId());
    status.setActionState(record.state());
    status.setBootIdBeforeAction(record.bootIdBeforeAction());
    status.setLastError(record.error());
    List<Condition> conditions = new ArrayList<>(status.getConditions());
    conditions.removeIf(c -> DEGRADED.equals(c.getType()));
    // the Degraded condition changes when the error happened, not when it is reported
    Instant since =
        record.error() != null && record.error().getTime() != null
            ? Instant.parse(record.error().getTime())
            : now;
    conditions.addAll(degraded(conditionsFrom(previous, generation, since), record).build());
    status.setConditions(conditions);
    return status;
  }

  /** Whether two statuses say the same (so the agent need not write). */
  public static boolean same(OSNodeStatus a, OSNodeStatus b) {
    if (a == null || b == null) {
      return a == b;
    }
    return Serialization.jsonMapper()
        .valueToTree(a)
        .equals(Serialization.jsonMapper().valueToTree(b));
  }

  /**
   * Whether the change waiting for the operator's Apply takes a reboot: for a staged target, the
   * core's own rule; otherwise whether the OS has anything staged for the next boot.
   */
  static Boolean rebootPending(Desired desired, HostFacts facts) {
    if (HostRevisions.stagedIsTarget(desired, facts)) {
      return TargetMatch.needsReboot(desired, facts);
    }
    if (HostRevisions.currentIsTarget(desired, facts)) {
      return false;
    }
    return facts.osRebootPending();
  }

  private static SELinuxStatus selinux(Desired desired, SelinuxFacts facts) {
    SELinuxStatus out = new SELinuxStatus();
    out.setConfigurable(facts.configurable());
    out.setMode(facts.mode().map(StatusComposer::modeName).orElse(null));
    out.setConfiguredMode(facts.configuredMode().map(StatusComposer::modeName).orElse(null));
    List<SELinuxBoolean> booleans = new ArrayList<>();
    if (desired.selinux() != null) {
      for (SELinuxBoolean wanted : desired.selinux().getBooleans()) {
        Boolean value = facts.booleans().get(wanted.getName());
        if (value != null) {
          booleans.add(new SELinuxBoolean(wanted.getName(), value));
        }
      }
    }
    out.setBooleans(booleans);
    out.setModules(new ArrayList<>(facts.modules().keySet()));
    return out;
  }

  private static String modeName(HostSelinuxMode mode) {
    return switch (mode) {
      case ENFORCING -> "Enforcing";
      case PERMISSIVE -> "Permissive";
      case DISABLED -> "Disabled";
    };
  }

  private static List<Condition> conditions(
      Desired desired,
      ActionRecord record,
      HostFacts facts,
      OSNodeStatus previous,
      Long generation,
      Instant now) {
    ConditionSet conditions = conditionsFrom(previous, generation, now);
    eligible(conditions, facts);
    boolean current = HostRevisions.currentIsTarget(desired, facts);
    boolean staged = HostRevisions.stagedIsTarget(desired, facts);
    if (desired.hasTarget()) {
      conditions.set(
          STAGED,
          current || staged,
          current ? CURRENT : staged ? TARGET_STAGED : NOT_STAGED,
          current
              ? "the host runs the target"
              : staged ? "the target is staged for the next step" : "the target is not staged");
    }
    if (record.bootIdBeforeAction() != null) {
      boolean rebooted = !record.bootIdBeforeAction().equals(facts.bootId());
      conditions.set(
          REBOOTED,
          rebooted,
          rebooted ? NEW_BOOT : SAME_BOOT,
          rebooted
              ? "boot " + record.bootIdBeforeAction() + " -> " + facts.bootId()
              : "still in boot " + facts.bootId());
    }
    return degraded(conditions, record).build();
  }

  /** Degraded: True with the last error's reason and message while there is one. */
  private static ConditionSet degraded(ConditionSet conditions, ActionRecord record) {
    boolean degraded = record.error() != null;
    return conditions.set(
        DEGRADED,
        degraded,
        degraded ? record.error().getReason() : AS_EXPECTED,
        degraded ? record.error().getMessage() : "no error");
  }

  /** New conditions whose transition times carry forward from the previous status's. */
  private static ConditionSet conditionsFrom(OSNodeStatus previous, Long generation, Instant now) {
    return new ConditionSet(previous == null ? null : previous.getConditions(), generation, now);
  }

  /**
   * Eligible: True when nothing on the host makes an update unsafe; False with the first refusal's
   * reason and every refusal's message, each saying what to do.
   */
  private static void eligible(ConditionSet conditions, HostFacts facts) {
    if (facts.eligible()) {
      conditions.set(
          RefitApi.ELIGIBLE,
          true,
          HOST_ELIGIBLE,
          "nothing on the host updates or reboots it on its own");
    } else {
      conditions.set(
          RefitApi.ELIGIBLE,
          false,
          facts.refusals().get(0).reason(),
          facts.refusals().stream().map(HostRefusal::message).collect(Collectors.joining("; ")));
    }
  }
}
