package dev.refit.testing.invariants;

import static dev.refit.testing.invariants.Fixtures.node;
import static dev.refit.testing.invariants.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.RefitApi;
import dev.refit.testing.invariants.Fixtures.Cordon;
import dev.refit.testing.invariants.Fixtures.ManualClock;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MaxUnavailableTest {

  private final ManualClock clock = new ManualClock();
  private Invariants invariants;

  @BeforeEach
  void fleetOfThreeInPolicyPAndOneInAnother() {
    invariants = new Invariants(List.of(new MaxUnavailable()), clock);
    invariants.policy(policy("p", "p", "2.0", 1));
    invariants.policy(policy("other", "o", "2.0", 1));
    for (String name : List.of("a", "b", "c")) {
      invariants.node(node(name, Cordon.NONE, true));
    }
    invariants.node(node("x", Map.of("pool", "o"), Cordon.NONE, true, "boot-x"));
    clock.advance(Duration.ofSeconds(10));
  }

  @Test
  void aCordonThatTakesThePolicyOverItsLimitCountingANodeDownForAnyReasonIsCaught() {
    invariants.node(node("a", Cordon.NONE, false)); // failed on its own: no violation
    invariants.node(node("x", Map.of("pool", "o"), Cordon.REFIT, true, "boot-x"));
    assertThat(invariants.violations()).isEmpty();
    clock.advance(Duration.ofSeconds(5));

    invariants.node(node("b", Cordon.REFIT, true));

    assertThat(invariants.violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.invariant()).isEqualTo("maxUnavailable");
              assertThat(v.node()).isEqualTo("b");
              assertThat(v.detail())
                  .isEqualTo("2 nodes of policy p out of service (a, b), limit 1");
            });
  }

  @Test
  void aNodeCordonedByAPersonCountsAndAHandOffWithinTheLimitDoesNot() {
    invariants.node(node("a", Cordon.REFIT, true));
    invariants.node(node("a", Cordon.NONE, true));
    invariants.node(node("b", Cordon.REFIT, true));
    assertThat(invariants.violations()).isEmpty();

    invariants.node(node("c", Cordon.PERSON, true));
    clock.advance(Duration.ofSeconds(5));
    invariants.node(node("b", Cordon.NONE, true));
    invariants.node(node("a", Cordon.REFIT, true));

    assertThat(invariants.violations()).extracting(Violation::node).containsExactly("a");
  }

  @Test
  void aCordonTheApiHeldBackIsJudgedFromTheFirstTryOfItsWritesAndNoOtherIs() {
    java.time.Instant firstTry = clock.instant();
    MaxUnavailable.HeldBack heldBack =
        (node, landedAfter) -> node.equals("b") && landedAfter.isBefore(firstTry) ? firstTry : null;
    invariants = new Invariants(List.of(new MaxUnavailable(heldBack)), clock);
    invariants.policy(policy("p", "p", "2.0", 1));
    for (String name : List.of("a", "b", "c")) {
      invariants.node(node(name, Cordon.NONE, true));
    }
    clock.advance(Duration.ofMillis(500));
    invariants.node(node("a", Cordon.PERSON, true));
    clock.advance(Duration.ofSeconds(3));

    // b's writes were first tried before a person cordoned a, and held back 3.5 s
    invariants.node(node("b", Cordon.REFIT, true));
    assertThat(invariants.violations()).isEmpty();
    // c's were not held back: a had been cordoned for 3 s
    invariants.node(node("c", Cordon.REFIT, true));
    assertThat(invariants.violations()).extracting(Violation::node).containsExactly("c");
  }

  @Test
  void aNodeThatWentDownWithinTheGracePeriodBeforeTheCordonIsNotHeldAgainstIt() {
    invariants.node(node("a", Cordon.NONE, false));
    clock.advance(Duration.ofMillis(500));
    invariants.node(node("b", Cordon.REFIT, true));
    assertThat(invariants.violations()).isEmpty();

    invariants.node(node("b", Cordon.NONE, true));
    clock.advance(Duration.ofMillis(1500));
    invariants.node(node("b", Cordon.REFIT, true));
    assertThat(invariants.violations()).extracting(Violation::node).containsExactly("b");
  }

  @Test
  void aLimitLoweredWithinTheGracePeriodIsJudgedByTheLimitBeforeIt() {
    invariants.policy(policy("p", "p", "2.0", 2));
    clock.advance(Duration.ofSeconds(5));
    invariants.node(node("a", Cordon.REFIT, true));
    invariants.policy(policy("p", "p", "2.0", 1));
    clock.advance(Duration.ofMillis(500));
    invariants.node(node("b", Cordon.REFIT, true));
    assertThat(invariants.violations()).isEmpty();

    invariants.node(node("b", Cordon.NONE, true));
    clock.advance(Duration.ofSeconds(2));
    invariants.node(node("b", Cordon.REFIT, true));
    assertThat(invariants.violations())
        .singleElement()
        .extracting(Violation::detail)
        .isEqualTo("2 nodes of policy p out of service (a, b), limit 1");
  }

  @Test
  void theLimitIsAPercentageOfTheNodesThePolicyManagesAsWatched() {
    invariants.policy(percent(policy("p", "p", "2.0", 1), "50%"));
    invariants.node(node("d", Cordon.NONE, true));
    clock.advance(Duration.ofSeconds(5));
    invariants.node(node("a", Cordon.REFIT, true));
    invariants.node(node("b", Cordon.REFIT, true)); // 2 of 4
    assertThat(invariants.violations()).isEmpty();

    invariants.node(node("c", Cordon.REFIT, true));
    assertThat(invariants.violations()).extracting(Violation::node).containsExactly("c");
  }

  @Test
  void anExcludedNodeOrOneTwoPoliciesSelectIsNoPolicysToCount() {
    invariants.node(
        node("e", Map.of("pool", "p", RefitApi.EXCLUDE_LABEL, "true"), Cordon.NONE, false, "e"));
    OSUpdatePolicy overlapping = policy("wide", "p", "2.0", 1);
    overlapping.getSpec().getNodeSelector().setMatchLabels(Map.of("zone", "z"));
    invariants.policy(overlapping);
    invariants.node(node("both", Map.of("pool", "p", "zone", "z"), Cordon.NONE, false, "both"));
    clock.advance(Duration.ofSeconds(5));
    invariants.node(node("a", Cordon.REFIT, true));
    invariants.node(node("both", Map.of("pool", "p", "zone", "z"), Cordon.REFIT, false, "both"));

    assertThat(invariants.violations()).isEmpty();
  }

  @Test
  void aPolicyBeingDeletedStillCountsAndADeletedOneNoLonger() {
    OSUpdatePolicy deleting = policy("p", "p", "2.0", 1);
    deleting.getMetadata().setDeletionTimestamp("2026-01-01T00:00:05Z");
    invariants.policy(deleting);
    invariants.node(node("a", Cordon.PERSON, true));
    clock.advance(Duration.ofSeconds(5));
    invariants.node(node("b", Cordon.REFIT, true));
    assertThat(invariants.violations()).hasSize(1);

    invariants.policyDeleted("p");
    clock.advance(Duration.ofSeconds(5));
    invariants.node(node("c", Cordon.REFIT, true));
    assertThat(invariants.violations()).hasSize(1);
  }

  @Test
  void momentsAreTheServersWhenItTellsThemNotWhenAWatchDeliveredThem() {
    Map<String, java.time.Instant> writtenAt = new java.util.HashMap<>();
    invariants = new Invariants(List.of(new MaxUnavailable()), clock, writtenAt::get);
    invariants.policy(policy("p", "p", "2.0", 2));
    for (String name : List.of("a", "b", "c")) {
      invariants.node(node(name, Cordon.NONE, true));
    }
    clock.advance(Duration.ofSeconds(10));
    invariants.node(node("a", Cordon.REFIT, true));
    // the server wrote b's cordon first, then the lowered limit; the Node watch, behind the
    // policies' watch, delivers the cordon 3 s after the edit
    java.time.Instant cordoned = clock.instant();
    clock.advance(Duration.ofMillis(200));
    invariants.policy(written(policy("p", "p", "2.0", 1), "7", clock.instant(), writtenAt));
    clock.advance(Duration.ofSeconds(3));
    invariants.node(written(node("b", Cordon.REFIT, true), "6", cordoned, writtenAt));
    assertThat(invariants.violations()).isEmpty();

    // c's cordon the server wrote 3 s after the edit, though the watch delivers it at once
    java.time.Instant late = clock.instant().plus(Duration.ofSeconds(3));
    invariants.node(written(node("c", Cordon.REFIT, true), "9", late, writtenAt));
    assertThat(invariants.violations()).extracting(Violation::node).containsExactly("c");
  }

  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T written(
      T object, String resourceVersion, java.time.Instant at, Map<String, java.time.Instant> log) {
    object.getMetadata().setResourceVersion(resourceVersion);
    log.put(resourceVersion, at);
    return object;
  }

  private static OSUpdatePolicy percent(OSUpdatePolicy policy, String value) {
    policy.getSpec().setMaxUnavailable(new IntOrString(value));
    return policy;
  }
}
