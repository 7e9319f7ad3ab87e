package dev.refit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyHandoffsTest {

  @Test
  void aSlotFreedWhileANodeWaitsIsOneHandoffToTheNextStart() {
    List<Report.NodeReport> nodes =
        List.of(
            node("a", 0, "Staged", 1, "Draining", 5, "Rebooting", 9, "UpToDate"),
            node("b", 0, "Staged", 9.25, "Draining", 12, "UpToDate"));

    assertThat(handoffs(nodes, 1)).containsExactly(1000L, 250L);
  }

  @Test
  void aFullPolicyIsNotASlowHandoff() {
    // b waits for a's slot from 0 to 9 s, but the slot was never free: one handoff, a's, at 9 s
    List<Report.NodeReport> nodes =
        List.of(
            node("a", 0, "Staged", 0.1, "Draining", 9, "UpToDate"),
            node("b", 0, "Staged", 9.1, "Draining", 15, "UpToDate"));

    assertThat(handoffs(nodes, 1)).containsExactly(100L, 100L);
  }

  @Test
  void aNodeStagedLateIsCountedFromWhenItWasStaged() {
    // two slots; b is staged only at 20 s, long after the second slot was free
    List<Report.NodeReport> nodes =
        List.of(
            node("a", 0, "Staged", 0.5, "Draining", 30, "UpToDate"),
            node("b", 0, "Staging", 20, "Staged", 20.2, "Draining", 30, "UpToDate"));

    assertThat(handoffs(nodes, 2)).containsExactly(500L, 200L);
  }

  @Test
  void severalStartsInOneRoundTakeTheOldestChancesFirst() {
    // three slots free from the start; three nodes staged at 1, 2, 3 s all start at 4 s
    List<Report.NodeReport> nodes =
        List.of(
            node("a", 1, "Staged", 4, "Draining"),
            node("b", 2, "Staged", 4, "Draining"),
            node("c", 3, "Staged", 4, "Draining"));

    assertThat(handoffs(nodes, 3)).containsExactly(3000L, 2000L, 1000L);
  }

  @Test
  void aChanceNoNodeTookIsDroppedNotPairedWithALaterStart() {
    // a waits with a free slot from 0 s, fails at 1 s; b is staged at 10 s and starts at 10.1 s
    List<Report.NodeReport> nodes =
        List.of(
            node("a", 0, "Staged", 1, "Failed"),
            node("b", 0, "Staging", 10, "Staged", 10.1, "Draining"));

    assertThat(handoffs(nodes, 1)).containsExactly(100L);
  }

  @Test
  void aStartTheObserverSawWithoutItsStagedStateLeavesTheWaitingNodesChanceOpen() {
    // three slots; b went Staging -> Draining between two observations while a waited: b's start
    // is no handoff of a's chance, which stays open until a starts
    List<Report.NodeReport> nodes =
        List.of(node("a", 0, "Staged", 1, "Draining"), node("b", 0, "Staging", 0.5, "Draining"));

    assertThat(handoffs(nodes, 3)).containsExactly(1000L);
  }

  @Test
  void startsBeforeAnyNodeFinishedAreTheFirstWave() {
    List<Report.NodeReport> nodes =
        List.of(
            node("a", 0, "Staged", 1, "Draining", 5, "UpToDate"),
            node("b", 0, "Staged", 1, "Draining", 6, "UpToDate"),
            node("c", 0, "Staged", 5.1, "Draining"));

    assertThat(PolicyHandoffs.of(nodes, 2))
        .extracting(PolicyHandoffs.Handoff::firstWave)
        .containsExactly(true, true, false);
  }

  /** The handoffs in whole milliseconds (the transitions' times are binary fractions). */
  private static List<Long> handoffs(List<Report.NodeReport> nodes, int limit) {
    return PolicyHandoffs.of(nodes, limit).stream().map(h -> Math.round(h.millis())).toList();
  }

  /** A node and its transitions, given as time, state, time, state... */
  private static Report.NodeReport node(String name, Object... timesAndStates) {
    List<Report.Transition> transitions = new ArrayList<>();
    for (int i = 0; i < timesAndStates.length; i += 2) {
      transitions.add(
          new Report.Transition(
              ((Number) timesAndStates[i]).doubleValue(), (String) timesAndStates[i + 1]));
    }
    return new Report.NodeReport(name, false, "", false, "", 0, transitions, null);
  }
}
