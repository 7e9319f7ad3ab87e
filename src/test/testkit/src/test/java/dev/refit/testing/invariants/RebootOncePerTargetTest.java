package dev.refit.testing.invariants;

import static dev.refit.testing.invariants.Fixtures.node;
import static dev.refit.testing.invariants.Fixtures.osNode;
import static dev.refit.testing.invariants.Fixtures.pod;
import static dev.refit.testing.invariants.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.NodeState;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.Selector;
import dev.refit.testing.invariants.Fixtures.Cordon;
import dev.refit.testing.invariants.Fixtures.ManualClock;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RebootOncePerTargetTest {

  private final ManualClock clock = new ManualClock();

  private Invariants watching(RebootOncePerTarget invariant) {
    Invariants invariants = new Invariants(List.of(invariant), clock);
    invariants.policy(policy("p", "p", "2.0", 1));
    invariants.node(node("a", Cordon.NONE, true));
    return invariants;
  }

  private static Node a(Cordon cordon, String bootId) {
    return node("a", Map.of("pool", "p"), cordon, true, bootId);
  }

  @Test
  void aSecondBootForTheSameTargetIsCaughtAndANewTargetAllowsANewOne() {
    Invariants invariants = watching(RebootOncePerTarget.ofBoots());
    invariants.node(a(Cordon.REFIT, "boot-a"));
    invariants.node(a(Cordon.REFIT, "boot-2"));
    invariants.node(a(Cordon.NONE, "boot-2"));
    invariants.policy(policy("p", "p", "3.0", 1));
    invariants.node(a(Cordon.REFIT, "boot-2"));
    invariants.node(a(Cordon.REFIT, "boot-3"));
    assertThat(invariants.violations()).isEmpty();

    invariants.node(a(Cordon.REFIT, "boot-4"));

    assertThat(invariants.violations())
        .singleElement()
        .hasToString("rebootOncePerTarget a: booted a second time for target 3.0");
  }

  @Test
  void aNodeRebootingWhenItsTargetIsEditedBootsForTheOldTargetAndOnceMoreForTheNew() {
    Invariants invariants = watching(RebootOncePerTarget.ofBoots());
    invariants.node(a(Cordon.REFIT, "boot-a"));
    clock.advance(Duration.ofSeconds(5));
    invariants.policy(policy("p", "p", "3.0", 1));
    invariants.node(a(Cordon.REFIT, "boot-2"));
    invariants.node(a(Cordon.NONE, "boot-2"));
    invariants.node(a(Cordon.REFIT, "boot-2"));
    invariants.node(a(Cordon.REFIT, "boot-3"));
    assertThat(invariants.violations()).isEmpty();

    invariants.node(a(Cordon.REFIT, "boot-4"));

    assertThat(invariants.violations())
        .singleElement()
        .hasToString("rebootOncePerTarget a: booted a second time for target 3.0");
  }

  @Test
  void aNodeKeptCordonedFromOneTargetToTheNextBootsOnceForEach() {
    Invariants invariants = watching(RebootOncePerTarget.ofBoots());
    invariants.node(a(Cordon.REFIT, "boot-a"));
    invariants.node(a(Cordon.REFIT, "boot-2"));
    // the target is edited while the node still carries the cordon of its first update (its
    // lift had not landed when it was cordoned again for the new target)
    clock.advance(Duration.ofSeconds(5));
    invariants.policy(policy("p", "p", "3.0", 1));
    clock.advance(Duration.ofSeconds(5));
    invariants.node(a(Cordon.REFIT, "boot-3"));
    assertThat(invariants.violations()).isEmpty();

    invariants.node(a(Cordon.REFIT, "boot-4"));

    assertThat(invariants.violations())
        .singleElement()
        .hasToString("rebootOncePerTarget a: booted a second time for target 3.0");
  }

  @Test
  void aBootWithoutRefitsCordonIsCaughtButNotOnANodeNoPolicyManages() {
    Invariants invariants = watching(RebootOncePerTarget.ofBoots());
    invariants.node(node("u", Map.of("pool", "none"), Cordon.NONE, true, "u-1"));
    invariants.node(node("u", Map.of("pool", "none"), Cordon.NONE, true, "u-2"));
    assertThat(invariants.violations()).isEmpty();

    invariants.node(a(Cordon.PERSON, "boot-a"));
    invariants.node(a(Cordon.PERSON, "boot-2"));

    assertThat(invariants.violations())
        .singleElement()
        .hasToString("rebootOncePerTarget a: booted without Refit's cordon (target 2.0)");
  }

  @Test
  void aRollbackBootAndARetryAfterThePersonDeletedTheOsNodeAreAllowed() {
    Invariants invariants = watching(RebootOncePerTarget.ofBoots());
    invariants.node(a(Cordon.REFIT, "boot-a"));
    invariants.node(a(Cordon.REFIT, "boot-2"));
    invariants.osNode(osNode("a", NodeState.RollingBack));
    invariants.node(a(Cordon.REFIT, "boot-3"));
    invariants.osNodeDeleted("a");
    invariants.node(a(Cordon.REFIT, "boot-4"));
    assertThat(invariants.violations()).isEmpty();

    invariants.node(a(Cordon.REFIT, "boot-5"));
    assertThat(invariants.violations()).hasSize(1);
  }

  @Test
  void aBootWithAPodTheDrainMustRemoveStillOnTheNodeIsCaughtOnceTheGraceHasPassed() {
    Invariants invariants = watching(RebootOncePerTarget.afterDrains());
    invariants.pod(pod("web-1", "a"));
    invariants.node(a(Cordon.REFIT, "boot-a"));
    invariants.node(a(Cordon.REFIT, "boot-2"));
    assertThat(invariants.violations()).isEmpty();

    clock.advance(Duration.ofSeconds(2));
    invariants.pod(pod("other", "b"));

    assertThat(invariants.violations())
        .singleElement()
        .hasToString(
            "rebootOncePerTarget a: booted before its drain finished: shop/web-1 still on it");
  }

  @Test
  void aTerminatingPodHasNotLeftButOneWhoseDeletionTheWatchDeliversJustAfterTheBootHas() {
    Invariants invariants = watching(RebootOncePerTarget.afterDrains());
    Pod terminating = pod("web-1", "a");
    terminating.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
    invariants.pod(terminating);
    invariants.pod(pod("web-2", "a"));
    invariants.node(a(Cordon.REFIT, "boot-a"));
    invariants.node(a(Cordon.REFIT, "boot-2"));
    clock.advance(Duration.ofMillis(300));
    invariants.podDeleted("shop", "web-2");

    assertThat(invariants.atEnd())
        .singleElement()
        .extracting(Violation::detail)
        .isEqualTo("booted before its drain finished: shop/web-1 still on it");
  }

  @Test
  void aPodBoundAfterTheBootIsNotHeldAgainstTheDrainThoughThePodWatchShowedItFirst() {
    // chaos seed 106: the pod watch, ahead of the Node watch, already showed a pod the scheduler
    // put on the node once Refit had updated and uncordoned it when the new boot ID arrived
    Invariants invariants = watching(RebootOncePerTarget.afterDrains());
    invariants.node(versioned(a(Cordon.REFIT, "boot-a"), "100"));
    invariants.pod(versioned(pod("web-1", "a"), "150"));
    invariants.pod(versioned(pod("web-2", "a"), "210"));
    invariants.node(versioned(a(Cordon.REFIT, "boot-2"), "200"));
    clock.advance(Duration.ofSeconds(2));
    invariants.pod(pod("other", "b"));

    assertThat(invariants.violations())
        .singleElement()
        .extracting(Violation::detail)
        .isEqualTo("booted before its drain finished: shop/web-1 still on it");
  }

  @Test
  void aPodCountsFromTheVersionItWasFirstSeenBoundInNotItsLatest() {
    Invariants invariants = watching(RebootOncePerTarget.afterDrains());
    invariants.node(versioned(a(Cordon.REFIT, "boot-a"), "100"));
    Pod bound = versioned(pod("web-1", "a"), "150");
    bound.getMetadata().setUid("uid-1");
    invariants.pod(bound);
    Pod updated = versioned(pod("web-1", "a"), "250");
    updated.getMetadata().setUid("uid-1");
    invariants.pod(updated);
    // the same name bound anew (a StatefulSet pod recreated) counts from its new binding
    Pod recreated = versioned(pod("db-0", "a"), "140");
    recreated.getMetadata().setUid("uid-2");
    invariants.pod(recreated);
    invariants.podDeleted("shop", "db-0");
    Pod again = versioned(pod("db-0", "a"), "260");
    again.getMetadata().setUid("uid-3");
    invariants.pod(again);
    invariants.node(versioned(a(Cordon.REFIT, "boot-2"), "200"));

    assertThat(invariants.atEnd())
        .singleElement()
        .extracting(Violation::detail)
        .isEqualTo("booted before its drain finished: shop/web-1 still on it");
  }

  private static <T extends HasMetadata> T versioned(T object, String resourceVersion) {
    object.getMetadata().setResourceVersion(resourceVersion);
    return object;
  }

  @Test
  void podsTheDrainLeavesAloneDoNotHoldTheBootBack() {
    OSUpdatePolicy keeping = policy("p", "p", "2.0", 1);
    keeping.getSpec().getDrain().setPodSelector(Selector.matching(Map.of("app", "keep")));
    Invariants invariants = watching(RebootOncePerTarget.afterDrains());
    invariants.policy(keeping);
    Pod daemon = pod("agent", "a");
    daemon
        .getMetadata()
        .setOwnerReferences(
            List.of(
                new OwnerReferenceBuilder()
                    .withKind("DaemonSet")
                    .withName("agent")
                    .withController(true)
                    .build()));
    Pod mirror = pod("static", "a");
    mirror.getMetadata().setAnnotations(Map.of(PolicyReadings.MIRROR_ANNOTATION, "x"));
    Pod finished = pod("job", "a");
    finished.getStatus().setPhase("Succeeded");
    Pod kept = pod("kept", "a");
    kept.getMetadata().getLabels().put("app", "keep");
    List.of(daemon, mirror, finished, kept).forEach(invariants::pod);
    invariants.node(a(Cordon.REFIT, "boot-a"));
    invariants.node(a(Cordon.REFIT, "boot-2"));

    assertThat(invariants.atEnd()).isEmpty();
    assertThat(invariants.violations()).isEmpty();
  }

  @Test
  void aWatcherThatDoesNotFeedPodsDoesNotJudgeThem() {
    Invariants invariants = watching(RebootOncePerTarget.ofBoots());
    invariants.pod(pod("web-1", "a"));
    invariants.node(a(Cordon.REFIT, "boot-a"));
    invariants.node(a(Cordon.REFIT, "boot-2"));

    assertThat(invariants.atEnd()).isEmpty();
  }
}
