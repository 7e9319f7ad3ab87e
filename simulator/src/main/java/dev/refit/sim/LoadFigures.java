package dev.refit.sim;

import dev.refit.api.PolicyReasons;
import dev.refit.api.RefitApi;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The load benchmark's figures, from the simulation's report and what the {@link LoadProbe} saw.
 *
 * <p>No event lost means, concretely: every node runs the target, every policy's {@code
 * Progressing} condition says {@code Complete}, and at the end each policy's status counts equal
 * what its OSNodes say ({@link PolicyTally}). Memory is bounded when the live heap (right after a
 * full collection, every minute and at the end) stays flat as the run goes on; the heap in use and
 * the old generation, sampled every second, include garbage not yet collected. Handoffs are counted
 * per policy ({@link PolicyHandoffs}); the operator's own share of a handoff, its reconciliation,
 * is read from its timer.
 *
 * @param handoffs each policy's handoffs and first-wave starts, by policy name
 */
record LoadFigures(
    Report report,
    EventStorm.Figures storm,
    List<OperatorTrace.Sample> memory,
    List<OperatorTrace.Sample> live,
    OperatorTrace.Reconciles reconciles,
    Map<String, List<PolicyHandoffs.Handoff>> handoffs,
    List<PolicyTally.Line> tally,
    String probeFailure) {

  private static final double MIB = 1024.0 * 1024.0;

  static LoadFigures of(
      Report report, LoadProbe probe, Map<String, List<PolicyHandoffs.Handoff>> handoffs) {
    return new LoadFigures(
        report,
        probe.stormFigures(),
        probe.memory(),
        probe.live(),
        probe.reconciles(),
        handoffs,
        probe.tally(),
        probe.failure());
  }

  /** Every policy's handoffs together: the first wave's starts, or the handoffs proper. */
  Report.Latency allHandoffs(boolean firstWave) {
    return latency(handoffs.values().stream().flatMap(List::stream).toList(), firstWave);
  }

  private static Report.Latency latency(List<PolicyHandoffs.Handoff> handoffs, boolean firstWave) {
    return Report.Latency.of(
        handoffs.stream()
            .filter(h -> h.firstWave() == firstWave)
            .map(PolicyHandoffs.Handoff::millis)
            .toList());
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
    return allHandoffs(false).p99() <= LoadBenchmark.HANDOFF_TARGET_MILLIS;
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
    Report.Latency all = allHandoffs(false);
    out.printf(
        "  handoff latency  per policy (a slot given back while one of its nodes waits, staged ->"
            + " its next start): p50 %.1f ms, p99 %.1f ms over %d handoffs (target p99 <= %.0f"
            + " ms: %s)%n",
        all.p50(),
        all.p99(),
        all.samples(),
        LoadBenchmark.HANDOFF_TARGET_MILLIS,
        handoffsWithinTarget() ? "met" : "missed");
    handoffs.forEach(
        (policy, each) -> {
          Report.Latency one = latency(each, false);
          out.printf(
              "    %-8s p50 %.1f ms, p99 %.1f ms over %d%n",
              policy, one.p50(), one.p99(), one.samples());
        });
    Report.Latency first = allHandoffs(true);
    out.printf(
        "    first wave (starts before any node of the policy finished: slots never used yet,"
            + " while the whole fleet stages): p50 %.1f ms, p99 %.1f ms over %d%n",
        first.p50(), first.p99(), first.samples());
    out.printf(
        "    fleet-wide (a slot freed in any policy -> the next start in any): p50 %.1f ms, p99"
            + " %.1f ms over %d%n",
        report.handoffLatencyMillis().p50(),
        report.handoffLatencyMillis().p99(),
        report.handoffLatencyMillis().samples());
    if (reconciles != null && reconciles.count() > 0) {
      out.printf(
          "  reconciliations  %d, mean %.1f ms; half took at most %.0f ms, 99 %% at most %.0f"
              + " ms, 99.9 %% at most %.0f ms (the Operator SDK's histogram buckets)%n",
          reconciles.count(),
          reconciles.sumSeconds() * 1000 / reconciles.count(),
          reconciles.atMost(0.5) * 1000,
          reconciles.atMost(0.99) * 1000,
          reconciles.atMost(0.999) * 1000);
    }
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
    if (!live.isEmpty()) {
      StringBuilder line = new StringBuilder();
      for (OperatorTrace.Sample sample : live) {
        line.append(
            String.format(" %.0f s %.0f MiB,", sample.atSeconds(), sample.heapBytes() / MIB));
      }
      out.printf(
          "  live heap        right after a full collection (jcmd GC.run):%s the last at the"
              + " end%n",
          line);
    }
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
