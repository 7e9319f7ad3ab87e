package dev.refit.operator.plan;

import dev.refit.api.Blackout;
import dev.refit.api.MaintenanceWindow;
import dev.refit.api.OSFamily;
import dev.refit.api.OSUpdatePolicySpec;
import dev.refit.api.PolicyReasons;
import dev.refit.api.Schedule;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks what the CRD's schema and CEL rules cannot: facts that need the JVM or the cluster. What
 * admission can check is checked there; this only finds what got past it, including objects stored
 * before a rule existed or by an API server that does not enforce the schema. It never throws: a
 * missing part is a problem to report, not a crash.
 */
public final class SpecJudge {

  private static final String MISSING_SPEC =
      "spec is missing: add spec.nodeSelector (which nodes) and spec.os (what they must run), as"
          + " in docs/examples/minimal.yaml. No node is touched until it is there.";

  private SpecJudge() {}

  /** Problems with the spec itself, in the order they appear in it. */
  public static List<SpecProblem> judge(OSUpdatePolicySpec spec) {
    List<SpecProblem> problems = new ArrayList<>();
    if (spec == null) {
      problems.add(new SpecProblem(PolicyReasons.INVALID_SPEC, MISSING_SPEC));
      return problems;
    }
    if (spec.getNodeSelector() == null) {
      problems.add(
          invalid(
              "spec.nodeSelector is missing: add the labels of the nodes this policy manages, like"
                  + " matchLabels: {node-role.kubernetes.io/worker: \"\"}"));
    }
    if (spec.getOs() == null || spec.getOs().display() == null) {
      problems.add(
          invalid(
              "spec.os is missing its target: set spec.os.version (like 41.20250101.3.0) or"
                  + " spec.os.image (like quay.io/fedora/fedora-coreos:stable)"));
    }
    if (Boolean.TRUE.equals(spec.getFailurePolicy().getAutoRollback())
        && spec.getOs() != null
        && spec.getOs().getFamily() == OSFamily.Flatcar) {
      problems.add(
          invalid(
              "spec.failurePolicy.autoRollback cannot be used with os.family Flatcar"
                  + " (update_engine has no rollback verb): set it to false"));
    }
    schedule(spec.getSchedule(), problems);
    return problems;
  }

  /**
   * Whether the spec names both the nodes and their target, so a round may act on nodes. A spec
   * that does not is judged and reported, and no node is managed under it.
   */
  public static boolean actionable(OSUpdatePolicySpec spec) {
    return spec != null
        && spec.getNodeSelector() != null
        && spec.getOs() != null
        && spec.getOs().display() != null;
  }

  private static void schedule(Schedule schedule, List<SpecProblem> problems) {
    if (schedule == null) {
      return;
    }
    List<MaintenanceWindow> windows = schedule.getWindows();
    for (int i = 0; i < windows.size(); i++) {
      MaintenanceWindow window = windows.get(i);
      String field = "spec.schedule.windows[" + i + "]";
      if (!isKnownZone(window.getTimeZone())) {
        problems.add(
            new SpecProblem(
                PolicyReasons.INVALID_TIME_ZONE,
                field
                    + ".timeZone \""
                    + window.getTimeZone()
                    + "\" is not a time zone this operator knows; use an IANA name like"
                    + " Europe/Berlin, America/New_York or UTC. No window opens until it is"
                    + " fixed."));
      }
      if (Windows.timeOfDay(window.getStart()) == null) {
        problems.add(
            invalid(
                field
                    + ".start \""
                    + window.getStart()
                    + "\" is not a time of day; write it as HH:MM from 00:00 to 23:59, like 01:00"));
      }
      if (Windows.duration(window.getDuration()) == null) {
        problems.add(
            invalid(
                field
                    + ".duration \""
                    + window.getDuration()
                    + "\" is not a duration; write hours and minutes, like 90m, 4h or 1h30m"));
      }
    }
    List<Blackout> blackouts = schedule.getBlackouts();
    for (int i = 0; i < blackouts.size(); i++) {
      timestamp("spec.schedule.blackouts[" + i + "].start", blackouts.get(i).getStart(), problems);
      timestamp("spec.schedule.blackouts[" + i + "].end", blackouts.get(i).getEnd(), problems);
    }
  }

  private static void timestamp(String field, String value, List<SpecProblem> problems) {
    if (Windows.timestamp(value) == null) {
      problems.add(
          invalid(
              field
                  + " \""
                  + value
                  + "\" is not a moment in time; write an RFC 3339 timestamp with a real date,"
                  + " like 2026-12-24T00:00:00Z. No node starts until it is fixed."));
    }
  }

  private static SpecProblem invalid(String message) {
    return new SpecProblem(PolicyReasons.INVALID_SPEC, message);
  }

  /** Whether the JVM's time-zone database knows the zone. */
  public static boolean isKnownZone(String zone) {
    try {
      ZoneId.of(zone);
      return true;
    } catch (DateTimeException | NullPointerException e) {
      return false;
    }
  }
}
