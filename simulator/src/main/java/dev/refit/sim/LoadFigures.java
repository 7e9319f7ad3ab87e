package dev.refit.sim;

import dev.refit.api.PolicyReasons;
import dev.refit.api.RefitApi;
import java.io.PrintStream;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The load benchmark's figures, from the simulation's report and what the {@link LoadProbe} saw.
 *
 * <p>No event lost means, concretely: every node runs the target, every policy's {@code
 * Progressing} condition says {@code Complete}, and at the end each policy's status counts equal
 * what its OSNodes say ({@link PolicyTally}). Memory is bounded when the heap the operator holds
 * late in the run is about what it held early: the means of the first and last fifth of the
 * samples, of the heap in use and of the old generation (what survived collections).
 */
record LoadFigures(
    Report report,
    EventStorm.Figures storm,
    List<OperatorTrace.Sample> memory,
    List<PolicyTally.Line> tally,
    String probeFailure) {

  private static final double MIB = 1024.0 * 1024.0;

  static LoadFigures of(Report report, LoadProbe probe) {
    return new LoadFigures(
        report, probe.stormFigures(), probe.memory(), probe.tally(), probe.failure());
  }

  long nodesOnTarget() {
    return report.nodes().stream().filter(Report.NodeReport::updated).count();
  }

  long policiesComplete() {
    return report.policies().stream()
        .map(p -> p.status() == null ? null : p.status().condition(RefitApi.PROGRESSING))
        .filter(c -> c != null && PolicyReasons.COMPLETE.equals(c.getReason()))
        .count();
  }

  long countsAgreeing() {
    return tally.stream().filter(PolicyTally.Line::agrees).count();
  }

  boolean noEventLost() {
    return probeFailure == null
        && nodesOnTarget() == report.nodes().size()
        && policiesComplete() == report.policies().size()
        && !tally.isEmpty()
        && countsAgreeing() == tally.size();
  }

  boolean handoffsWithinTarget() {
    return report.handoffLatencyMillis().p99() <= LoadBenchmark.HANDOFF_TARGET_MILLIS;
  }

  /** The mean of a figure over the first (or last) fifth of the samples, in MiB. */
  double fifth(boolean last, ToLongFunction<OperatorTrace.Sample> figure) {
    int n = Math.max(1, memory.size() / 5);
    List<OperatorTrace.Sample> part =
        last ? memory.subList(Math.max(0, memory.size() - n), memory.size()) : memory;
    return part.stream().limit(n).mapToLong(figure).average().orElse(0) / MIB;
  }

  void print(PrintStream out, int nodes, double stormPerSecond) {
    out.printf(
        "Load benchmark: %d nodes, %d policies, a storm of %.0f OSNode status updates/s%n",
        nodes, report.policies().size(), stormPerSecond);
    if (probeFailure != null) {
      out.println("  " + probeFailure);
    }
    out.printf(
        "  rollout          %.1f s (ideal %.0f s, ratio %.2f), %s, invariants broken: %d%n",
        report.durationSeconds(),
        report.idealSeconds(),
        report.durationSeconds() / report.idealSeconds(),
        report.completed() ? "finished" : "did not finish",
        report.invariantViolations().size());
    out.printf(
        "  handoff latency  p50 %.1f ms, p99 %.1f ms over %d handoffs (target p99 <= %.0f ms: %s)%n",
        report.handoffLatencyMillis().p50(),
        report.handoffLatencyMillis().p99(),
        report.handoffLatencyMillis().samples(),
        LoadBenchmark.HANDOFF_TARGET_MILLIS,
        handoffsWithinTarget() ? "met" : "missed");
    if (storm != null) {
      out.printf(
          "  event storm      %d status updates in %.1f s = %.1f/s; %d conflicts (409) read"
              + " again and retried; %d failed; %d skipped (no agent report yet); %d fell behind%n",
          storm.writes(),
          storm.seconds(),
          storm.perSecond(),
          storm.conflicts(),
          storm.failures(),
          storm.skipped(),
          storm.behind());
    }
    out.printf(
        "  operator memory  peak heap %d MiB, peak RSS %d MiB (VmHWM); %d samples, first fifth"
            + " vs last fifth: heap in use %.0f -> %.0f MiB, old generation %.0f -> %.0f MiB,"
            + " RSS %.0f -> %.0f MiB%n",
        report.operator().peakHeapBytes() >> 20,
        report.operator().peakRssBytes() >> 20,
        memory.size(),
        fifth(false, OperatorTrace.Sample::heapBytes),
        fifth(true, OperatorTrace.Sample::heapBytes),
        fifth(false, OperatorTrace.Sample::oldGenBytes),
        fifth(true, OperatorTrace.Sample::oldGenBytes),
        fifth(false, OperatorTrace.Sample::rssBytes),
        fifth(true, OperatorTrace.Sample::rssBytes));
    out.printf(
        "  API requests     %d in all; the operator's %d (%.1f per node update), starts %d%n",
        report.apiRequests().total(),
        report.apiRequests().operatorTotal(),
        report.apiRequests().operatorPerNodeUpdate(),
        report.operator().starts());
    out.printf(
        "  no event lost    %s: nodes on the target %d/%d, policies Complete %d/%d, status counts"
            + " equal to the OSNodes' %d/%d%n",
        noEventLost() ? "yes" : "NO",
        nodesOnTarget(),
        report.nodes().size(),
        policiesComplete(),
        report.policies().size(),
        countsAgreeing(),
        tally.size());
    for (PolicyTally.Line line : tally) {
      out.printf(
          "    %-8s status %s, OSNodes %s (total updated updating pending failed skipped)%s%n",
          line.policy(), line.reported(), line.counted(), line.agrees() ? "" : "  DIFFERENT");
    }
  }
}
