package dev.refit.testing.invariants;

import static dev.refit.testing.invariants.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.ActionState;
import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import dev.refit.api.OSNodeSpec;
import dev.refit.api.OSNodeStatus;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OSUpdatePolicySpec;
import dev.refit.api.OnTimeout;
import dev.refit.testing.PdbViolation;
import dev.refit.testing.invariants.Fixtures.Cordon;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InvariantsTest {

  @Test
  void aCordonFoundAtFirstSightThatIsLiftedIsReportedOnce() {
    Invariants invariants = new Invariants(List.of(NoForeignUncordon.ofCordonsFoundAtFirstSight()));
    invariants.node(node("a", Cordon.PERSON, true));
    invariants.node(node("b", Cordon.REFIT, true));

    invariants.node(node("b", Cordon.NONE, true));
    assertThat(invariants.violations()).isEmpty();
    invariants.node(node("a", Cordon.NONE, true));
    invariants.node(node("a", Cordon.NONE, true));

    assertThat(invariants.violations())
        .extracting(Violation::invariant, Violation::node)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("noForeignUncordon", "a"));
  }

  @Test
  void onlyADeclaredCordonCountsWhenCordonsAreDeclared() {
    NoForeignUncordon foreign = NoForeignUncordon.ofDeclaredCordons();
    Invariants invariants = new Invariants(List.of(foreign));
    invariants.node(node("a", Cordon.PERSON, true));
    invariants.node(node("a", Cordon.NONE, true));
    assertThat(invariants.violations()).isEmpty();

    invariants.node(node("a", Cordon.PERSON, true));
    foreign.cordonedByPerson("a");
    invariants.node(node("a", Cordon.NONE, true));
    assertThat(invariants.violations())
        .singleElement()
        .hasToString("noForeignUncordon a: a cordon Refit did not set was lifted");
  }

  @Test
  void aCordonDeclaredBeforeItsWriteLandsIsNotLiftedByTheNodeSeenBeforeIt() {
    // DeletionIT in one CI run: the test declared worker-6's cordon, then the watch delivered an
    // event of the node from before the cordon's write, uncordoned; that lifts nothing
    NoForeignUncordon foreign = NoForeignUncordon.ofDeclaredCordons();
    Invariants invariants = new Invariants(List.of(foreign));
    invariants.node(node("a", Cordon.NONE, true));
    foreign.cordonedByPerson("a");

    invariants.node(node("a", Cordon.NONE, true));
    invariants.node(node("a", Cordon.PERSON, true));
    assertThat(invariants.violations()).isEmpty();

    invariants.node(node("a", Cordon.NONE, true));
    assertThat(invariants.violations())
        .singleElement()
        .hasToString("noForeignUncordon a: a cordon Refit did not set was lifted");
  }

  @Test
  void aLimitIsAnIntegerOrAPercentageRoundedDownAndAtLeastOne() {
    assertThat(MaxUnavailable.limit(null, 10)).isEqualTo(1);
    assertThat(MaxUnavailable.limit(new IntOrString(3), 10)).isEqualTo(3);
    assertThat(MaxUnavailable.limit(new IntOrString("25%"), 10)).isEqualTo(2);
    assertThat(MaxUnavailable.limit(new IntOrString("10%"), 5)).isEqualTo(1);
  }

  @Test
  void aReadyNodeStillCordonedByRefitAtTheEndIsLeftCordoned() {
    Invariants invariants = new Invariants(List.of(new NoNodeLeftCordoned()));
    invariants.node(node("ready", Cordon.REFIT, true));
    invariants.node(node("down", Cordon.REFIT, false));
    invariants.node(node("person", Cordon.PERSON, true));

    assertThat(invariants.violations()).isEmpty();
    assertThat(invariants.atEnd()).extracting(Violation::node).containsExactly("ready");
  }

  @Test
  void aFailedNodeIsKeptCordonedOnlyWhileItMayStillRebootOrFailedItsChecksOnTheTarget() {
    Invariants invariants = new Invariants(List.of(new NoNodeLeftCordoned()));
    for (String name :
        List.of("may-reboot", "settled", "unhealthy", "unconfirmed", "old-os", "updated")) {
      invariants.node(node(name, Cordon.REFIT, true));
    }
    // the agent prepared a reboot in the boot the node still runs and has not settled it
    invariants.osNode(
        osNode("may-reboot", NodeState.Failed, "RebootTimeout", "old", "boot-may-reboot"));
    // the agent settled it: Ready on its old OS, the cordon must go
    invariants.osNode(osNode("settled", NodeState.Failed, "RebootTimeout", "old", null));
    // rebooted into the target but failed its health check
    invariants.osNode(osNode("unhealthy", NodeState.Failed, "ReadyTimeout", "new", null));
    // rebooted into the target, but its afterReboot gate was never set
    invariants.osNode(osNode("unconfirmed", NodeState.Failed, "GateTimedOut", "new", null));
    // rebooted back into its old OS: Ready, nothing wrong with it
    invariants.osNode(osNode("old-os", NodeState.Failed, "ReadyTimeout", "old", null));
    invariants.osNode(osNode("updated", NodeState.UpToDate, "Updated", "new", null));

    assertThat(invariants.atEnd())
        .extracting(Violation::node)
        .containsExactly("old-os", "settled", "updated");
  }

  private static OSNode osNode(
      String name, NodeState state, String reason, String current, String bootBefore) {
    OSNode osNode = new OSNode();
    osNode.setMetadata(new ObjectMetaBuilder().withName(name).build());
    OSNodeSpec spec = new OSNodeSpec();
    spec.setState(state);
    spec.setReason(reason);
    spec.setDesiredRevision("new");
    osNode.setSpec(spec);
    OSNodeStatus status = new OSNodeStatus();
    status.setCurrentRevision(current);
    status.setBootIdBeforeAction(bootBefore);
    status.setActionState(bootBefore == null ? ActionState.Failed : ActionState.Running);
    osNode.setStatus(status);
    return osNode;
  }

  @Test
  void aBrokenBudgetIsReportedWithItsTimeUnlessAPolicyForcesDrains() {
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    List<PdbViolation> log = List.of(new PdbViolation(at, "shop", "web", "web-1", 2, 1));
    PdbNeverViolated judged = PdbNeverViolated.unlessForced(() -> log, List.of());

    assertThat(new Invariants(List.of(judged)).atEnd())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.at()).isEqualTo(at);
              assertThat(v.detail())
                  .isEqualTo(
                      "pod shop/web-1 went down while budget web needed 2 healthy, leaving 1");
            });

    OSUpdatePolicy forcing = new OSUpdatePolicy();
    forcing.setSpec(new OSUpdatePolicySpec());
    forcing.getSpec().getDrain().setOnTimeout(OnTimeout.Force);
    assertThat(PdbNeverViolated.unlessForced(() -> log, List.of(forcing)).atEnd(null)).isEmpty();
  }
}
