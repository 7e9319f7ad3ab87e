package dev.refit.sim;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** The few lines a person reads at the end of a simulation. */
final class Summary {

  /** How many nodes or pods a list shows before pointing at the report. */
  private static final int LISTED = 10;

  private Summary() {}

  /** What Refit itself reports: updated, failed, skipped. */
  private static String outcomes(Report report) {
    int updated = 0;
    int failed = 0;
    int skipped = 0;
    for (Report.PolicyReport policy : report.policies()) {
      if (policy.counts() != null) {
        updated += policy.counts().getUpdated();
        failed += policy.counts().getFailed();
        skipped += policy.counts().getSkipped();
      }
    }
    return String.format(" (Refit: %d updated, %d failed, %d skipped)", updated, failed, skipped);
  }

  static void print(
      PrintStream out, Scenario scenario, Report report, Path operatorLog, Path reportFile) {
    long updated = report.nodes().stream().filter(Report.NodeReport::updated).count();
    out.println();
    out.printf(
        "%s in %.1f s (ideal %.1f s, %.2fx)%n",
        report.completed()
            ? "Rollout finished"
            : "Rollout did NOT finish (timeout " + scenario.timeoutSeconds() + " s)",
        report.durationSeconds(),
        report.idealSeconds(),
        report.idealSeconds() == 0 ? 0 : report.durationSeconds() / report.idealSeconds());
    out.printf(
        "  nodes on the target  %d of %d%s%n", updated, report.nodes().size(), outcomes(report));
    out.printf("  most out of service  %d at once%n", report.maxDisruptedObserved());
    out.printf(
        "  handoff latency      p50 %.1f ms, p99 %.1f ms (%d handoffs)%n",
        report.handoffLatencyMillis().p50(),
        report.handoffLatencyMillis().p99(),
        report.handoffLatencyMillis().samples());
    out.printf(
        "  API requests         %,d (operator %,d: %.1f per node update)%n",
        report.apiRequests().total(),
        report.apiRequests().operatorTotal(),
        report.apiRequests().operatorPerNodeUpdate());
    if (report.apiFaults() != null) {
      out.printf(
          "  API faults           %,d injected, %,d reached the operator's code, %,d absorbed by"
              + " its retries %s%n",
          report.apiFaults().injectedTotal(),
          report.apiFaults().reachedOperator(),
          report.apiFaults().absorbedByRetries(),
          report.apiFaults().injected());
    }
    out.printf(
        "  operator             peak heap %d MiB, peak RSS %d MiB, started %d time%s%n",
        report.operator().peakHeapBytes() >> 20,
        report.operator().peakRssBytes() >> 20,
        report.operator().starts(),
        report.operator().starts() == 1 ? "" : "s");
    if (report.invariantViolations().isEmpty()) {
      out.println("  invariants           none broken");
    } else {
      out.printf("  invariants           %d BROKEN:%n", report.invariantViolations().size());
      report.invariantViolations().stream()
          .limit(10)
          .forEach(
              v ->
                  out.printf(
                      "    %s %s at %.1f s: %s%n",
                      v.invariant(), v.node() == null ? "" : v.node(), v.atSeconds(), v.detail()));
    }
    if (!report.discrepancies().isEmpty()) {
      out.printf(
          "  operator's word      %d disagreement%s with what was observed:%n",
          report.discrepancies().size(), report.discrepancies().size() == 1 ? "" : "s");
      report.discrepancies().stream()
          .limit(LISTED)
          .forEach(
              d -> out.printf("    %s at %.1f s: %s%n", d.policy(), d.atSeconds(), d.detail()));
    }
    out.printf(
        "  evictions            %d allowed, %d blocked%s%n",
        report.evictions().allowed(),
        report.evictions().blocked(),
        report.evictions().blockedByBudget().isEmpty()
            ? ""
            : " (by " + report.evictions().blockedByBudget() + ")");
    List<Report.NodeReport> behind =
        report.nodes().stream().filter(n -> n.notUpdatedBecause() != null).toList();
    behind.stream()
        .limit(LISTED)
        .forEach(n -> out.printf("  not updated %s: %s%n", n.name(), n.notUpdatedBecause()));
    if (behind.size() > LISTED) {
      out.printf("  and %d more nodes not updated (see the report)%n", behind.size() - LISTED);
    }
    report.unschedulablePods().stream()
        .filter(p -> p.placedOn() == null)
        .limit(LISTED)
        .forEach(p -> out.printf("  pod %s stayed Pending: %s%n", p.pod(), p.reason()));
    report
        .policies()
        .forEach(
            p ->
                p.conditions().stream()
                    .filter(c -> c.isTrue() && c.getType().equals("Degraded"))
                    .forEach(c -> out.printf("  %s degraded: %s%n", p.name(), c.getMessage())));
    if (reportFile != null) {
      out.println("  report               " + reportFile);
    }
    out.println("  operator log         " + operatorLog);
  }
}
