package dev.refit.operator.policy;

import dev.refit.api.MaintenanceWindow;
import dev.refit.api.OSUpdatePolicySpec;
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
                  "InvalidTimeZone",
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
    return problems;
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
