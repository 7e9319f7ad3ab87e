package dev.refit.operator.lifecycle;

import static dev.refit.api.NodeReasons.APPLY_FAILED;
import static dev.refit.api.NodeReasons.CANARY_UNHEALTHY;
import static dev.refit.api.NodeReasons.DRAIN_FORCED;
import static dev.refit.api.NodeReasons.DRAIN_TIMED_OUT;
import static dev.refit.api.NodeReasons.DRIFTED;
import static dev.refit.api.NodeReasons.GATE_TIMED_OUT;
import static dev.refit.api.NodeReasons.HOST_REFUSED;
import static dev.refit.api.NodeReasons.READY_TIMEOUT;
import static dev.refit.api.NodeReasons.REBOOT_TIMEOUT;
import static dev.refit.api.NodeReasons.ROLLBACK_FAILED;
import static dev.refit.api.NodeReasons.ROLLED_BACK;
import static dev.refit.api.NodeReasons.SELINUX_DRIFT;
import static dev.refit.api.NodeReasons.STAGE_FAILED;
import static dev.refit.api.NodeReasons.STAGE_LOST;
import static dev.refit.api.NodeReasons.STAGE_RETRY;
import static dev.refit.api.NodeReasons.TARGET_CHANGED;
import static dev.refit.api.NodeReasons.UNSATISFIABLE_BUDGET;
import static dev.refit.api.NodeReasons.UPDATED;
import static dev.refit.api.NodeReasons.WAITING_FOR_GATE;

import dev.refit.api.ActionState;
import dev.refit.api.NodeAction;
import dev.refit.api.NodeState;
import dev.refit.api.OnTimeout;
import dev.refit.operator.plan.Halt;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The per-node update lifecycle as a pure function: facts in, next step out. No I/O and no clock of
 * its own, so it is tested exhaustively and every decision can be recomputed from the API alone
 * after an operator restart.
 */
public final class Lifecycle {

  /** Stage attempts before a node is Failed; staging is harmless, so transient errors retry. */
  public static final int MAX_STAGE_ATTEMPTS = 3;

  /** Backoff before the n-th staging retry: 30 s, 60 s, ... capped at 5 min. */
  public static Duration stageBackoff(int attempts) {
    long seconds = Math.min(300, 30L << Math.max(0, Math.min(attempts - 1, 4)));
    return Duration.ofSeconds(seconds);
  }

  private Lifecycle() {}

  /** The steps the node takes now, in order, until it waits for something. Never empty. */
  public static List<Decision> settle(NodeFacts facts) {
    List<Decision> steps = new ArrayList<>();
    NodeFacts current = facts;
    for (int i = 0; i < NodeState.values().length; i++) {
      Decision decision = next(current);
      boolean stays =
          decision.state() == current.state()
              && Objects.equals(decision.revision(), current.revision());
      if (stays && decision.message() == null && !steps.isEmpty()) {
        // the node stays where the previous step took it: it keeps that step's message
        decision = decision.withReason(decision.reason(), steps.get(steps.size() - 1).message());
      }
      steps.add(decision);
      if (stays) {
        break;
      }
      current = current.after(decision);
    }
    return steps;
  }

  /** One step: where the node goes from the given facts. */
  public static Decision next(NodeFacts f) {
    if (!Objects.equals(f.targetRevision(), f.revision()) && !finishing(f.state())) {
      return retarget(f);
    }
    AgentReport agent = f.agent();
    String revision = f.revision();
    return switch (f.state()) {
      case UpToDate -> upToDate(f);
      case Pending -> pending(f);
      case Staging -> staging(f);
      case Staged -> staged(f);
      case Cordoned -> cordoned(f);
      case Draining -> draining(f);
      case Drained ->
          agent.refusal() != null
              ? refused(f)
              : instruct(
                  to(
                      f,
                      agent.needsReboot() ? NodeState.Rebooting : NodeState.Verifying,
                      null,
                      null),
                  NodeAction.Apply,
                  f);
      case Rebooting -> rebooting(f);
      case Applying -> applying(f);
      case Verifying -> verifying(f);
      case Failed -> stay(f).withCordonKept(cordonKept(f));
      case RollingBack -> rollingBack(f);
      case Skipped -> stay(f);
    };
  }

  /** States a target change does not interrupt: the node is mid-reboot or mid-apply. */
  private static boolean finishing(NodeState state) {
    return state == NodeState.Rebooting
        || state == NodeState.Verifying
        || state == NodeState.Applying
        || state == NodeState.RollingBack;
  }

  private static Decision retarget(NodeFacts f) {
    return new Decision(
        NodeState.Pending,
        f.now(),
        TARGET_CHANGED,
        "target changed to revision " + f.targetRevision(),
        f.targetRevision(),
        NodeAction.None,
        null,
        0,
        false,
        null,
        null,
        null);
  }

  private static Decision pending(NodeFacts f) {
    AgentReport agent = f.agent();
    if (f.revision().equals(agent.currentRevision())) {
      return idle(to(f, NodeState.UpToDate, null, null));
    }
    if (f.revision().equals(agent.stagedRevision())) {
      return to(f, NodeState.Staged, null, "waiting for a disruption slot");
    }
    if (agent.refusal() != null) {
      return refused(f);
    }
    if (f.attempts() > 0) {
      Instant retryAt = f.since().plus(stageBackoff(f.attempts()));
      if (f.now().isBefore(retryAt)) {
        return stay(f).withWakeAt(retryAt);
      }
    }
    return instruct(to(f, NodeState.Staging, null, "downloading and staging"), NodeAction.Stage, f);
  }

  private static Decision staging(NodeFacts f) {
    AgentReport agent = f.agent();
    if (f.revision().equals(agent.currentRevision())) {
      return idle(to(f, NodeState.UpToDate, null, null));
    }
    if (agent.finished(f.actionId(), ActionState.Succeeded)
        && f.revision().equals(agent.stagedRevision())) {
      return to(f, NodeState.Staged, null, "waiting for a disruption slot");
    }
    if (agent.finished(f.actionId(), ActionState.Failed)) {
      return stageAttemptFailed(
          f, agent.error() == null ? "the agent reported a failure" : agent.error());
    }
    if (agent.refusal() != null) {
      return refused(f);
    }
    if (HOST_REFUSED.equals(f.reason())) {
      return to(f, NodeState.Staging, null, "downloading and staging");
    }
    Instant deadline = f.since().plus(f.timeouts().stage());
    if (f.now().isBefore(deadline)) {
      return stay(f).withWakeAt(deadline);
    }
    // an attempt that hangs counts as a failed one: the next gets a new instruction
    return stageAttemptFailed(
        f,
        "not finished within "
            + f.timeouts().stage().toSeconds()
            + "s (rollout.stageTimeoutSeconds)");
  }

  /** A failed staging attempt: retried after a backoff, and the last allowed fails the node. */
  private static Decision stageAttemptFailed(NodeFacts f, String error) {
    int attempts = f.attempts() + 1;
    if (attempts >= MAX_STAGE_ATTEMPTS) {
      return failed(f, STAGE_FAILED, "staging failed " + attempts + " times: " + error, attempts);
    }
    Decision retry = to(f, NodeState.Pending, STAGE_RETRY, "staging failed, retrying: " + error);
    return retry.withAttempts(attempts);
  }

  /**
   * UpToDate: stays, unless the host stopped running the target. A host whose agent still has the
   * target ready (its OS the target, its SELinux mode configured) and names what of the declared
   * SELinux state it lost has drifted: it is staged again, and its slot re-applies the state like
   * any change, live where it can. Anything else (an OS rolled back) fails the node.
   */
  private static Decision upToDate(NodeFacts f) {
    AgentReport agent = f.agent();
    String revision = f.revision();
    if (agent.currentRevision() == null || revision.equals(agent.currentRevision())) {
      return stay(f);
    }
    if (revision.equals(agent.stagedRevision()) && !agent.selinuxDrift().isEmpty()) {
      return to(
          f,
          NodeState.Staged,
          SELINUX_DRIFT,
          "its SELinux state drifted from the declared one: "
              + String.join("; ", agent.selinuxDrift())
              + "; it is applied again when the node's slot comes");
    }
    return failed(
        f,
        DRIFTED,
        "the host now runs revision "
            + agent.currentRevision()
            + ", not "
            + revision
            + "; it may have rolled itself back. Delete the OSNode to update it again",
        f.attempts());
  }

  private static Decision staged(NodeFacts f) {
    AgentReport agent = f.agent();
    if (f.revision().equals(agent.currentRevision())) {
      return idle(to(f, NodeState.UpToDate, null, null));
    }
    if (!f.revision().equals(agent.stagedRevision())) {
      return to(f, NodeState.Pending, STAGE_LOST, "the staged update is gone; staging again");
    }
    if (agent.refusal() != null) {
      return refused(f);
    }
    if (HOST_REFUSED.equals(f.reason())) {
      return to(f, NodeState.Staged, null, "waiting for a disruption slot");
    }
    if (!f.slotGranted()) {
      return stay(f);
    }
    // a drifted node keeps its reason through the re-apply, so status can count it
    String drift = SELINUX_DRIFT.equals(f.reason()) ? SELINUX_DRIFT : null;
    if (agent.needsReboot()) {
      return to(f, NodeState.Cordoned, drift, "cordoned for the update");
    }
    return instruct(
        to(
            f,
            NodeState.Applying,
            drift,
            drift == null
                ? "applying without a reboot"
                : "applying the declared SELinux state again, without a reboot"),
        NodeAction.Apply,
        f);
  }

  /**
   * Cordoned: the drain starts once every beforeDrain gate is set; a gate still unset after
   * gates.timeoutSeconds skips the node or fails it and halts the rollout, as gates.onTimeout says.
   */
  private static Decision cordoned(NodeFacts f) {
    List<String> missing = f.gates().beforeDrain();
    if (missing.isEmpty()) {
      return to(f, NodeState.Draining, null, "evicting pods");
    }
    Instant deadline = f.since().plus(f.gates().timeout());
    if (f.now().isBefore(deadline)) {
      return waitingForGate(f, missing, "before its drain").withWakeAt(deadline);
    }
    String timedOut = gatesTimedOut(f, missing, "of its cordon");
    if (f.gates().skipOnTimeout()) {
      Decision skipped = to(f, NodeState.Skipped, GATE_TIMED_OUT, timedOut + "; skipped");
      return idle(skipped).withOutcome(Outcome.SKIPPED);
    }
    return failed(f, GATE_TIMED_OUT, timedOut + "; rollout halted", f.attempts());
  }

  /** The node stays where it is, waiting for the external system to set the gates named. */
  private static Decision waitingForGate(NodeFacts f, List<String> missing, String when) {
    return stay(f)
        .withReason(
            WAITING_FOR_GATE,
            "waiting for " + GateFacts.named(missing) + " to be \"true\" on the Node " + when);
  }

  private static Decision draining(NodeFacts f) {
    if (f.drain() == DrainProgress.DONE) {
      return to(f, NodeState.Drained, null, "drained");
    }
    Instant deadline = f.since().plus(f.timeouts().drain());
    if (f.now().isBefore(deadline)) {
      return stay(f).withWakeAt(deadline);
    }
    String timedOut = "drain did not finish within " + f.timeouts().drain().toSeconds() + "s";
    return switch (f.onTimeout()) {
      case Force -> {
        Decision stay = stay(f);
        yield stay.withReason(DRAIN_FORCED, timedOut + "; deleting the remaining pods")
            .withForcedDrain();
      }
      case Skip -> {
        Decision skipped = to(f, NodeState.Skipped, DRAIN_TIMED_OUT, timedOut + "; skipped");
        yield idle(skipped).withOutcome(Outcome.SKIPPED);
      }
      case Halt -> failed(f, DRAIN_TIMED_OUT, timedOut + "; rollout halted", f.attempts());
    };
  }

  private static Decision rebooting(NodeFacts f) {
    AgentReport agent = f.agent();
    Decision held = heldByHost(f);
    if (held != null) {
      return held;
    }
    if (agent.finished(f.actionId(), ActionState.Failed)) {
      String error = agent.error() == null ? "the agent reported a failure" : agent.error();
      return failed(f, APPLY_FAILED, "applying the update failed: " + error, f.attempts());
    }
    boolean rebooted = bootedSinceInstruction(f);
    boolean appliedLive =
        agent.finished(f.actionId(), ActionState.Succeeded)
            && f.revision().equals(agent.currentRevision());
    if (rebooted || appliedLive) {
      return to(f, NodeState.Verifying, null, "checking the node is Ready and healthy");
    }
    Instant deadline = f.since().plus(f.timeouts().reboot());
    if (f.now().isBefore(deadline)) {
      return stay(f).withWakeAt(deadline);
    }
    return failed(
        f,
        REBOOT_TIMEOUT,
        "no new boot within "
            + f.timeouts().reboot().toSeconds()
            + "s; the instruction is withdrawn, and the node goes back into service once it is"
            + " Ready on its old OS and its agent confirms it will not reboot",
        f.attempts());
  }

  /** Whether the node booted anew since its agent took up the recorded instruction. */
  private static boolean bootedSinceInstruction(NodeFacts f) {
    AgentReport agent = f.agent();
    String bootId = f.node().bootId();
    return f.actionId() != null
        && f.actionId().equals(agent.observedActionId())
        && agent.bootIdBeforeAction() != null
        && bootId != null
        && !bootId.equals(agent.bootIdBeforeAction());
  }

  private static Decision applying(NodeFacts f) {
    AgentReport agent = f.agent();
    Decision held = heldByHost(f);
    if (held != null) {
      return held;
    }
    if (agent.finished(f.actionId(), ActionState.Failed)) {
      String error = agent.error() == null ? "the agent reported a failure" : agent.error();
      return failed(f, APPLY_FAILED, "applying the change failed: " + error, f.attempts());
    }
    if (f.revision().equals(agent.currentRevision()) && f.node().ready() && f.healthy()) {
      return idle(to(f, NodeState.UpToDate, UPDATED, null)).withOutcome(Outcome.UPDATED);
    }
    return readyDeadline(f);
  }

  /**
   * Verifying: Ready, on the target and healthy, then every afterReboot gate set; a gate still
   * unset gates.timeoutSeconds after the new boot fails the node, which keeps Refit's cordon, and
   * halts the rollout.
   */
  private static Decision verifying(NodeFacts f) {
    if (!(f.revision().equals(f.agent().currentRevision()) && f.node().ready() && f.healthy())) {
      Decision deadline = readyDeadline(f);
      boolean onTarget = f.revision().equals(f.agent().currentRevision());
      // a host that booted back into its old OS has rolled back already
      return deadline.state() == NodeState.Failed && f.autoRollback() && onTarget
          ? rollBack(f, deadline)
          : deadline;
    }
    List<String> missing = f.gates().afterReboot();
    if (missing.isEmpty()) {
      return idle(to(f, NodeState.UpToDate, UPDATED, null)).withOutcome(Outcome.UPDATED);
    }
    Instant deadline = f.since().plus(f.gates().timeout());
    if (f.now().isBefore(deadline)) {
      return waitingForGate(f, missing, "after its reboot").withWakeAt(deadline);
    }
    return failed(
        f,
        GATE_TIMED_OUT,
        gatesTimedOut(f, missing, "of its new boot") + "; rollout halted",
        f.attempts());
  }

  /** "storage.example.com/ready not set to "true" on the Node within 3600s of its new boot". */
  private static String gatesTimedOut(NodeFacts f, List<String> missing, String since) {
    return GateFacts.named(missing)
        + " not set to \"true\" on the Node within "
        + f.gates().timeout().toSeconds()
        + "s "
        + since;
  }

  private static Decision readyDeadline(NodeFacts f) {
    Instant deadline = f.since().plus(f.timeouts().ready());
    if (f.now().isBefore(deadline)) {
      return stay(f).withWakeAt(deadline);
    }
    String missing =
        !f.node().ready()
            ? "not Ready"
            : !f.revision().equals(f.agent().currentRevision())
                ? "not running revision " + f.revision()
                : "not healthy";
    return failed(
        f,
        READY_TIMEOUT,
        "still " + missing + " " + f.timeouts().ready().toSeconds() + "s after its update",
        f.attempts());
  }

  /**
   * A node that failed its verification on the target, with failurePolicy.autoRollback: its agent
   * is told to boot the deployment it booted before; it keeps its cordon and its slot meanwhile.
   */
  private static Decision rollBack(NodeFacts f, Decision failure) {
    Decision rolling =
        to(
            f,
            NodeState.RollingBack,
            failure.reason(),
            failure.message() + "; rolling back to the deployment it booted before");
    return instruct(rolling, NodeAction.Rollback, f);
  }

  /**
   * RollingBack: done once the node booted anew since the instruction and runs something other than
   * the target, Ready and healthy; it is then Failed, reason RolledBack, and back in service. A
   * rollback the agent could not do, or that is not done within the reboot and Ready timeouts,
   * fails the node (RollbackFailed).
   */
  private static Decision rollingBack(NodeFacts f) {
    AgentReport agent = f.agent();
    if (agent.finished(f.actionId(), ActionState.Failed)) {
      String error = agent.error() == null ? "the agent reported a failure" : agent.error();
      return failed(f, ROLLBACK_FAILED, "rolling back failed: " + error, f.attempts());
    }
    boolean rebooted = bootedSinceInstruction(f);
    boolean offTarget =
        agent.currentRevision() != null && !f.revision().equals(agent.currentRevision());
    if (rebooted && offTarget && f.node().ready() && f.healthy()) {
      Decision rolledBack =
          to(
              f,
              NodeState.Failed,
              ROLLED_BACK,
              "failed its verification on the target ("
                  + f.reason()
                  + ") and was rolled back to revision "
                  + agent.currentRevision()
                  + "; back in service. Delete its OSNode to try the update again");
      return idle(rolledBack)
          .withOutcome(Outcome.ROLLED_BACK)
          .withCordonKept(cordonKept(f, ROLLED_BACK));
    }
    Instant deadline = f.since().plus(f.timeouts().reboot()).plus(f.timeouts().ready());
    if (f.now().isBefore(deadline)) {
      return stay(f).withWakeAt(deadline);
    }
    return failed(
        f,
        ROLLBACK_FAILED,
        "not back on its previous OS, Ready and healthy, within "
            + f.timeouts().reboot().plus(f.timeouts().ready()).toSeconds()
            + "s of the rollback instruction",
        f.attempts());
  }

  /**
   * An Apply the agent has not started because its host refuses: the node waits, its deadline
   * stopped, until the host is fixed; then the deadline starts afresh. Null when not held.
   */
  private static Decision heldByHost(NodeFacts f) {
    boolean started = f.actionId() != null && f.actionId().equals(f.agent().observedActionId());
    if (f.agent().refusal() != null && !started) {
      return refused(f);
    }
    if (HOST_REFUSED.equals(f.reason()) && f.agent().refusal() == null) {
      return to(f, f.state(), null, "the host was fixed; carrying on");
    }
    return null;
  }

  /** The node stays where it is, held by its host's refusal; no new instruction is given. */
  private static Decision refused(NodeFacts f) {
    return new Decision(
        f.state(),
        HOST_REFUSED.equals(f.reason()) ? f.since() : f.now(),
        HOST_REFUSED,
        f.agent().refusal().reason() + ": " + f.agent().refusal().message(),
        f.revision(),
        f.action(),
        f.actionId(),
        f.attempts(),
        false,
        null,
        null,
        null);
  }

  // --- building decisions ------------------------------------------------------------------

  private static Decision stay(NodeFacts f) {
    return new Decision(
        f.state(),
        f.since(),
        f.reason(),
        null,
        f.revision(),
        f.action(),
        f.actionId(),
        f.attempts(),
        false,
        null,
        null,
        null);
  }

  private static Decision to(NodeFacts f, NodeState state, String reason, String message) {
    return new Decision(
        state,
        f.now(),
        reason,
        message,
        f.revision(),
        f.action(),
        f.actionId(),
        f.attempts(),
        false,
        null,
        null,
        null);
  }

  private static Decision failed(NodeFacts f, String reason, String message, int attempts) {
    Decision failed =
        to(f, NodeState.Failed, reason, phase(f.state()) + message).withAttempts(attempts);
    return idle(failed).withOutcome(Outcome.FAILED).withCordonKept(cordonKept(f, reason));
  }

  /**
   * An updated canary found NotReady or unhealthy while the rest of the fleet waits on it: it has
   * failed, and the rollout halts (the planner's canary phase).
   */
  public static Decision canaryUnhealthy(NodeFacts f, String message) {
    return failed(f, CANARY_UNHEALTHY, message, f.attempts());
  }

  /**
   * A staged node about to be cordoned whose drain could never finish: a budget on one of its pods
   * can never allow an eviction ({@code budgets} names them). Under {@code drain.onTimeout} Halt it
   * fails and halts the rollout, under Skip it is skipped; either way it is never cordoned. Force
   * is not decided here: that node is drained, and forced at the drain's timeout.
   */
  public static Decision unsatisfiableBudget(NodeFacts f, String budgets) {
    String why = "not cordoned: its drain could never finish: " + budgets;
    if (f.onTimeout() == OnTimeout.Skip) {
      Decision skipped =
          to(f, NodeState.Skipped, UNSATISFIABLE_BUDGET, why + "; skipped (drain.onTimeout: Skip)");
      return idle(skipped).withOutcome(Outcome.SKIPPED);
    }
    return failed(
        f,
        UNSATISFIABLE_BUDGET,
        why
            + "; rollout halted (drain.onTimeout: Halt). Relax the budget or scale its workload,"
            + " then delete the OSNode to try the node again",
        f.attempts());
  }

  /** The phase a failure happened in, as the start of its message. */
  private static String phase(NodeState state) {
    return state == NodeState.UpToDate ? "" : "failed while " + state + ": ";
  }

  /**
   * Why a failed node keeps Refit's cordon, or null when it goes back into service: the one rule
   * for every failure (docs/design.md, "Failed nodes"). A node stays cordoned only while it may
   * really be broken or may still reboot: it is NotReady; its agent prepared a reboot in the boot
   * it still runs and has not confirmed it will not make it; or it runs the target but failed its
   * health check. A node Ready on its old OS, its agent settled, is back in service.
   */
  static String cordonKept(NodeFacts f) {
    return cordonKept(f, f.reason());
  }

  private static String cordonKept(NodeFacts f, String reason) {
    AgentReport agent = f.agent();
    if (!f.node().ready()) {
      return "NotReady";
    }
    if (agent.actionState() == ActionState.Running
        && agent.bootIdBeforeAction() != null
        && agent.bootIdBeforeAction().equals(f.node().bootId())) {
      return "its agent prepared a reboot and has not confirmed it will not make it";
    }
    if (READY_TIMEOUT.equals(reason) && f.revision().equals(agent.currentRevision())) {
      return "it runs the target but failed its health check";
    }
    if (ROLLBACK_FAILED.equals(reason) && f.revision().equals(agent.currentRevision())) {
      return "it runs the target, failed its health check, and its rollback failed";
    }
    if (GATE_TIMED_OUT.equals(reason) && f.revision().equals(agent.currentRevision())) {
      return "it runs the target but its afterReboot gates were not set";
    }
    return null;
  }

  /** Tells the agent to act; the identity is derived, so recomputing gives the same one. */
  /**
   * The decision with an instruction for the agent. Its identity is the revision, the action and
   * the attempt; an agent acts on an identity once, so when it already took up this one (a drifted
   * host applying the same revision again) the new instruction gets a suffix: the moment the node
   * entered the state it is instructed from, so a step computed again from the same facts issues
   * the same identity.
   */
  private static Decision instruct(Decision d, NodeAction action, NodeFacts f) {
    String id = f.revision() + "-" + action.name().toLowerCase() + "-" + f.attempts();
    String observed = f.agent().observedActionId();
    if (observed != null && observed.startsWith(id)) {
      id = id + "-" + f.since().toEpochMilli();
    }
    return d.withInstruction(action, id);
  }

  private static Decision idle(Decision d) {
    return d.withInstruction(NodeAction.None, null);
  }

  /**
   * Whether a node in this state stops the whole rollout: a drain that timed out, or could never
   * finish, under {@code onTimeout: Halt}, or a gate that timed out (before the drain under {@code
   * gates.onTimeout: Halt}, or after the reboot). It keeps the rollout stopped until a person
   * deletes the node's OSNode.
   */
  public static boolean halts(NodeState state, String reason) {
    return state == NodeState.Failed
        && (DRAIN_TIMED_OUT.equals(reason)
            || GATE_TIMED_OUT.equals(reason)
            || UNSATISFIABLE_BUDGET.equals(reason));
  }
}
