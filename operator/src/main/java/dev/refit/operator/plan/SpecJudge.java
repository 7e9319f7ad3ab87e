package dev.refit.operator.plan;

import dev.refit.api.MaintenanceWindow;
import dev.refit.api.OSUpdatePolicySpec;
import dev.refit.api.PolicyReasons;
import dev.refit.api.Schedule;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks what the CRD's schema and CEL rules cannot: facts that need the JVM or the cluster. What
 * admission can check is checked there; this only finds what got past it.
 */
public final class SpecJudge {

  private SpecJudge() {}

  /** Problems with the spec itself, in the order they appear in it. */
  public static List<SpecProblem> judge(OSUpdatePolicySpec spec) {
    List<SpecProblem> problems = new ArrayList<>();
    Schedule schedule = spec.getSchedule();
    if (schedule != null) {
      List<MaintenanceWindow> windows = schedule.getWindows();
      for (int i = 0; i < windows.size(); i++) {
        String zone = windows.get(i).getTimeZone();
        if (!isKnownZone(zone)) {
          problems.add(
              new SpecProblem(
                  PolicyReasons.INVALID_TIME_ZONE,
                  "spec.schedule.windows["
                      + i
                      + "].timeZone \""
                      + zone
                      + "\" is not a time zone this operator knows; use an IANA name like"
                      + " Europe/Berlin, America/New_York or UTC. No window opens until it is"
                      + " fixed."));
        }
      }
    }
    notYetSupported(spec, problems);
    return problems;
  }

  /**
   * Fields this version of Refit accepts but does not act on yet. Ignoring them would update nodes
   * without the canaries, gates, rollback or health query a person asked for, so the rollout is
   * held instead, and the condition says which field to remove.
   */
  private static void notYetSupported(OSUpdatePolicySpec spec, List<SpecProblem> problems) {
    List<String> fields = new ArrayList<>();
    if (spec.getRollout().getCanary() != null) {
      fields.add("spec.rollout.canary");
    }
    if (spec.getGates() != null
        && (!spec.getGates().getBeforeDrain().isEmpty()
            || !spec.getGates().getAfterReboot().isEmpty())) {
      fields.add("spec.gates");
    }
    if (Boolean.TRUE.equals(spec.getFailurePolicy().getAutoRollback())) {
      fields.add("spec.failurePolicy.autoRollback");
    }
    if (spec.getHealthCheck().getPrometheus() != null) {
      fields.add("spec.healthCheck.prometheus");
    }
    if (!fields.isEmpty()) {
      problems.add(
          new SpecProblem(
              PolicyReasons.NOT_YET_SUPPORTED,
              String.join(", ", fields)
                  + (fields.size() == 1 ? " is" : " are")
                  + " not supported by this version of Refit; no node is updated until "
                  + (fields.size() == 1 ? "it is" : "they are")
                  + " removed, so nothing happens without the safeguard you asked for"));
    }
  }

  /** Whether the JVM's time-zone database knows the zone. */
  public static boolean isKnownZone(String zone) {
    try {
      ZoneId.of(zone);
      return true;
    } catch (DateTimeException e) {
      return false;
    }
  }
}
