package dev.refit.operator.lifecycle;

import static dev.refit.api.ActionState.Failed;
import static dev.refit.api.ActionState.Running;
import static dev.refit.api.ActionState.Succeeded;
import static dev.refit.operator.lifecycle.Decision.CordonIntent.CORDONED;
import static dev.refit.operator.lifecycle.Decision.CordonIntent.KEEP;
import static dev.refit.operator.lifecycle.Decision.CordonIntent.UNCORDONED;
import static dev.refit.operator.lifecycle.NodeFactsFixture.NEW;
import static dev.refit.operator.lifecycle.NodeFactsFixture.OLD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.NodeAction;
import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.api.OnTimeout;
import dev.refit.operator.lifecycle.Decision.CordonIntent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every state of the lifecycle against every fact that moves it, one row each: the state a node is
 * in and what is true, then where one step takes it, what the agent is told, how the update ended,
 * and what the node's cordon must be.
 */
class LifecycleTableTest {

  record Row(
      String name,
      NodeFactsFixture given,
      NodeState state,
      NodeAction action,
      String reason,
      Outcome outcome,
      CordonIntent cordon) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final List<Row> ROWS = new ArrayList<>();

  private static GateFacts gates(
      List<String> beforeDrain, List<String> afterReboot, boolean skipOnTimeout) {
    return new GateFacts(beforeDrain, afterReboot, Duration.ofMinutes(60), skipOnTimeout);
  }

  private static void row(
      String name,
      NodeFactsFixture given,
      Consumer<NodeFactsFixture> setup,
      NodeState state,
      NodeAction action,
      String reason,
      Outcome outcome,
      CordonIntent cordon) {
    setup.accept(given);
    ROWS.add(new Row(name, given, state, action, reason, outcome, cordon));
  }

  static {
    // --- target changes ---
    row(
        "a new target sends an up-to-date node back to Pending",
        NodeFactsFixture.in(NodeState.UpToDate),
        f -> {
          f.revision = OLD;
          f.current = OLD;
        },
        NodeState.Pending,
        NodeAction.None,
        NodeReasons.TARGET_CHANGED,
        null,
        UNCORDONED);
    row(
        "a new target aborts a drain and uncordons",
        NodeFactsFixture.in(NodeState.Draining),
        f -> {
          f.revision = OLD;
          f.cordonedByRefit = true;
          f.drain = DrainProgress.RUNNING;
        },
        NodeState.Pending,
        NodeAction.None,
        NodeReasons.TARGET_CHANGED,
        null,
        UNCORDONED);
    row(
        "a new target resets a failed node",
        NodeFactsFixture.in(NodeState.Failed),
        f -> {
          f.revision = OLD;
          f.reason = NodeReasons.READY_TIMEOUT;
          f.attempts = 2;
        },
        NodeState.Pending,
        NodeAction.None,
        NodeReasons.TARGET_CHANGED,
        null,
        UNCORDONED);
    row(
        "a new target does not interrupt a reboot",
        NodeFactsFixture.instructed(NodeState.Rebooting, NodeAction.Apply),
        f -> {
          f.revision = OLD;
          f.actionId = OLD + "-apply-0";
        },
        NodeState.Rebooting,
        NodeAction.Apply,
        null,
        null,
        CORDONED);
    row(
        "a new target does not interrupt verification",
        NodeFactsFixture.in(NodeState.Verifying),
        f -> {
          f.revision = OLD;
          f.ready = false;
        },
        NodeState.Verifying,
        NodeAction.None,
        null,
        null,
        CORDONED);
    row(
        "a new target does not interrupt a live apply",
        NodeFactsFixture.instructed(NodeState.Applying, NodeAction.Apply),
        f -> f.revision = OLD,
        NodeState.Applying,
        NodeAction.Apply,
        null,
        null,
        UNCORDONED);

    // --- UpToDate ---
    row(
        "an up-to-date node stays",
        NodeFactsFixture.in(NodeState.UpToDate),
        f -> f.current = NEW,
        NodeState.UpToDate,
        NodeAction.None,
        null,
        null,
        UNCORDONED);
    row(
        "an up-to-date node whose agent has not reported stays",
        NodeFactsFixture.in(NodeState.UpToDate),
        f -> {},
        NodeState.UpToDate,
        NodeAction.None,
        null,
        null,
        UNCORDONED);
    row(
        "an updated node that drifted back fails instead of looping",
        NodeFactsFixture.in(NodeState.UpToDate),
        f -> f.current = OLD,
        NodeState.Failed,
        NodeAction.None,
        NodeReasons.DRIFTED,
        Outcome.FAILED,
        UNCORDONED);
    row(
        "an updated node whose SELinux state drifted on the target OS is staged again, no failure",
        NodeFactsFixture.in(NodeState.UpToDate),
        f -> {
          f.current = "other-" + NEW;
          f.staged = NEW;
          f.selinuxDrifted("httpd_can_network_connect is off, declared on");
        },
        NodeState.Staged,
        NodeAction.None,
        NodeReasons.SELINUX_DRIFT,
        null,
        UNCORDONED);
    row(
        "an updated node that runs another revision with no SELinux drift named fails",
        NodeFactsFixture.in(NodeState.UpToDate),
        f -> {
          f.current = OLD;
          f.staged = NEW;
        },
        NodeState.Failed,
        NodeAction.None,
        NodeReasons.DRIFTED,
        Outcome.FAILED,
        UNCORDONED);
    row(
        "a drifted node given a slot re-applies live, keeping its reason",
        NodeFactsFixture.in(NodeState.Staged),
        f -> {
          f.reason = NodeReasons.SELINUX_DRIFT;
          f.current = "other-" + NEW;
          f.staged = NEW;
          f.rebootPending = false;
          f.granted = true;
        },
        NodeState.Applying,
        NodeAction.Apply,
        NodeReasons.SELINUX_DRIFT,
        null,
        UNCORDONED);

    // --- Pending ---
    row(
        "a pending node is told to stage",
        NodeFactsFixture.in(NodeState.Pending),
        f -> f.current = OLD,
        NodeState.Staging,
        NodeAction.Stage,
        null,
        null,
        UNCORDONED);
    row(
        "a pending node already running the target is up to date",
        NodeFactsFixture.in(NodeState.Pending),
        f -> f.current = NEW,
        NodeState.UpToDate,
        NodeAction.None,
        null,
        null,
        UNCORDONED);
    row(
        "a pending node that already staged the target is staged",
        NodeFactsFixture.in(NodeState.Pending),
        f -> {
          f.current = OLD;
          f.staged = NEW;
        },
        NodeState.Staged,
        NodeAction.None,
        null,
        null,
        UNCORDONED);
    row(
        "a pending node waits out its staging backoff",
        NodeFactsFixture.in(NodeState.Pending),
        f -> {
          f.attempts = 1;
          f.reason = NodeReasons.STAGE_RETRY;
          f.at(Duration.ofSeconds(10));
        },
        NodeState.Pending,
        NodeAction.None,
        NodeReasons.STAGE_RETRY,
        null,
        UNCORDONED);
    row(
        "a pending node stages again after its backoff",
        NodeFactsFixture.in(NodeState.Pending),
        f -> {
          f.attempts = 1;
          f.at(Duration.ofSeconds(31));
        },
        NodeState.Staging,
        NodeAction.Stage,
        null,
        null,
        UNCORDONED);

    // --- Staging ---
    row(
        "a staging node waits for its agent",
        NodeFactsFixture.instructed(NodeState.Staging, NodeAction.Stage),
        f -> f.agentFinished(Running),
        NodeState.Staging,
        NodeAction.Stage,
        null,
        null,
        UNCORDONED);
    row(
        "a staging node whose agent staged the target is staged",
        NodeFactsFixture.instructed(NodeState.Staging, NodeAction.Stage),
        f -> {
          f.agentFinished(Succeeded);
          f.staged = NEW;
        },
        NodeState.Staged,
        NodeAction.Stage,
        null,
        null,
        UNCORDONED);
    row(
        "success for an older instruction does not count",
        NodeFactsFixture.instructed(NodeState.Staging, NodeAction.Stage),
        f -> {
          f.observed = "older";
          f.actionState = Succeeded;
          f.staged = NEW;
        },
        NodeState.Staging,
        NodeAction.Stage,
        null,
        null,
        UNCORDONED);
    row(
        "a failed stage is retried",
        NodeFactsFixture.instructed(NodeState.Staging, NodeAction.Stage),
        f -> {
          f.agentFinished(Failed);
          f.error = "registry unreachable";
        },
        NodeState.Pending,
        NodeAction.Stage,
        NodeReasons.STAGE_RETRY,
        null,
        UNCORDONED);
    row(
        "the third failed stage fails the node",
        NodeFactsFixture.instructed(NodeState.Staging, NodeAction.Stage),
        f -> {
          f.agentFinished(Failed);
          f.attempts = 2;
        },
        NodeState.Failed,
        NodeAction.None,
        NodeReasons.STAGE_FAILED,
        Outcome.FAILED,
        UNCORDONED);
    row(
        "a staging attempt still running within rollout.stageTimeoutSeconds waits",
        NodeFactsFixture.instructed(NodeState.Staging, NodeAction.Stage),
        f -> f.agentFinished(Running).at(Duration.ofMinutes(59)),
        NodeState.Staging,
        NodeAction.Stage,
        null,
        null,
        UNCORDONED);
    row(
        "a staging attempt still running after rollout.stageTimeoutSeconds counts as failed",
        NodeFactsFixture.instructed(NodeState.Staging, NodeAction.Stage),
        f -> f.agentFinished(Running).at(Duration.ofMinutes(60)),
        NodeState.Pending,
        NodeAction.Stage,
        NodeReasons.STAGE_RETRY,
        null,
        UNCORDONED);
    row(
        "an agent that never takes up the staging instruction counts as failed too",
        NodeFactsFixture.instructed(NodeState.Staging, NodeAction.Stage),
        f -> f.at(Duration.ofMinutes(61)),
        NodeState.Pending,
        NodeAction.Stage,
        NodeReasons.STAGE_RETRY,
        null,
        UNCORDONED);
    row(
        "the third staging attempt that hangs fails the node",
        NodeFactsFixture.instructed(NodeState.Staging, NodeAction.Stage),
        f -> {
          f.agentFinished(Running).at(Duration.ofMinutes(60));
          f.attempts = 2;
        },
        NodeState.Failed,
        NodeAction.None,
        NodeReasons.STAGE_FAILED,
        Outcome.FAILED,
        UNCORDONED);
    row(
        "a staging node that runs the target is up to date",
        NodeFactsFixture.instructed(NodeState.Staging, NodeAction.Stage),
        f -> f.current = NEW,
        NodeState.UpToDate,
        NodeAction.None,
        null,
        null,
        UNCORDONED);

    // --- Staged ---
    row(
        "a staged node waits for a slot",
        NodeFactsFixture.in(NodeState.Staged),
        f -> f.staged = NEW,
        NodeState.Staged,
        NodeAction.None,
        null,
        null,
        UNCORDONED);
    row(
        "a staged node given a slot is cordoned",
        NodeFactsFixture.in(NodeState.Staged),
        f -> {
          f.staged = NEW;
          f.granted = true;
        },
        NodeState.Cordoned,
        NodeAction.None,
        null,
        null,
        CORDONED);
    row(
        "a live change given a slot is applied without cordon",
        NodeFactsFixture.in(NodeState.Staged),
        f -> {
          f.staged = NEW;
          f.granted = true;
          f.rebootPending = false;
        },
        NodeState.Applying,
        NodeAction.Apply,
        null,
        null,
        UNCORDONED);
    row(
        "a staged node whose staged update vanished stages again",
        NodeFactsFixture.in(NodeState.Staged),
        f -> f.staged = null,
        NodeState.Pending,
        NodeAction.None,
        "StageLost",
        null,
        UNCORDONED);
    row(
        "a staged node that runs the target is up to date",
        NodeFactsFixture.in(NodeState.Staged),
        f -> f.current = NEW,
        NodeState.UpToDate,
        NodeAction.None,
        null,
        null,
        UNCORDONED);

    // --- a host that is not eligible ---
    row(
        "a pending node whose host refuses is not told to stage",
        NodeFactsFixture.in(NodeState.Pending),
        NodeFactsFixture::hostRefuses,
        NodeState.Pending,
        NodeAction.None,
        NodeReasons.HOST_REFUSED,
        null,
        UNCORDONED);
    row(
        "a staging node whose host refuses waits, neither failed nor retried",
        NodeFactsFixture.instructed(NodeState.Staging, NodeAction.Stage),
        NodeFactsFixture::hostRefuses,
        NodeState.Staging,
        NodeAction.Stage,
        NodeReasons.HOST_REFUSED,
        null,
        UNCORDONED);
    row(
        "a staging node whose host was fixed stages on",
        NodeFactsFixture.instructed(NodeState.Staging, NodeAction.Stage),
        f -> f.reason = NodeReasons.HOST_REFUSED,
        NodeState.Staging,
        NodeAction.Stage,
        null,
        null,
        UNCORDONED);
    row(
        "a staged node whose host refuses is not cordoned, slot or not",
        NodeFactsFixture.in(NodeState.Staged),
        f -> {
          f.staged = NEW;
          f.granted = true;
          f.hostRefuses();
        },
        NodeState.Staged,
        NodeAction.None,
        NodeReasons.HOST_REFUSED,
        null,
        UNCORDONED);
    row(
        "a staged node whose host was fixed waits for a slot again",
        NodeFactsFixture.in(NodeState.Staged),
        f -> {
          f.staged = NEW;
          f.reason = NodeReasons.HOST_REFUSED;
        },
        NodeState.Staged,
        NodeAction.None,
        null,
        null,
        UNCORDONED);

    row(
        "a drained node whose host turned ineligible is not told to apply",
        NodeFactsFixture.in(NodeState.Drained),
        f -> {
          f.staged = NEW;
          f.hostRefuses();
        },
        NodeState.Drained,
        NodeAction.None,
        NodeReasons.HOST_REFUSED,
        null,
        CORDONED);
    row(
        "an apply the agent has not started on a refusing host never times out",
        NodeFactsFixture.instructed(NodeState.Rebooting, NodeAction.Apply),
        f -> {
          f.hostRefuses();
          f.at(Duration.ofHours(5));
        },
        NodeState.Rebooting,
        NodeAction.Apply,
        NodeReasons.HOST_REFUSED,
        null,
        CORDONED);
    row(
        "once the host is fixed the apply's deadline starts afresh",
        NodeFactsFixture.instructed(NodeState.Rebooting, NodeAction.Apply),
        f -> {
          f.reason = NodeReasons.HOST_REFUSED;
          f.at(Duration.ofHours(5));
        },
        NodeState.Rebooting,
        NodeAction.Apply,
        null,
        null,
        CORDONED);

    // --- Cordoned, Draining ---
    row(
        "a cordoned node starts draining",
        NodeFactsFixture.in(NodeState.Cordoned),
        f -> {},
        NodeState.Draining,
        NodeAction.None,
        null,
        null,
        CORDONED);
    row(
        "a cordoned node waits for its beforeDrain gate before draining",
        NodeFactsFixture.in(NodeState.Cordoned),
        f -> f.gates = gates(List.of("storage.example.com/drain-ok"), List.of(), false),
        NodeState.Cordoned,
        NodeAction.None,
        NodeReasons.WAITING_FOR_GATE,
        null,
        CORDONED);
    row(
        "a beforeDrain gate unset in time fails the node, uncordoned on its old OS (Halt)",
        NodeFactsFixture.in(NodeState.Cordoned),
        f -> {
          f.gates = gates(List.of("storage.example.com/drain-ok"), List.of(), false);
          f.at(Duration.ofMinutes(60));
        },
        NodeState.Failed,
        NodeAction.None,
        NodeReasons.GATE_TIMED_OUT,
        Outcome.FAILED,
        UNCORDONED);
    row(
        "a beforeDrain gate unset in time skips the node (Skip)",
        NodeFactsFixture.in(NodeState.Cordoned),
        f -> {
          f.gates = gates(List.of("storage.example.com/drain-ok"), List.of(), true);
          f.at(Duration.ofMinutes(60));
        },
        NodeState.Skipped,
        NodeAction.None,
        NodeReasons.GATE_TIMED_OUT,
        Outcome.SKIPPED,
        UNCORDONED);
    row(
        "a draining node waits for its pods",
        NodeFactsFixture.in(NodeState.Draining),
        f -> f.drain = DrainProgress.RUNNING,
        NodeState.Draining,
        NodeAction.None,
        null,
        null,
        CORDONED);
    row(
        "a drained node is Drained",
        NodeFactsFixture.in(NodeState.Draining),
        f -> f.drain = DrainProgress.DONE,
        NodeState.Drained,
        NodeAction.None,
        null,
        null,
        CORDONED);
    row(
        "a timed-out drain under Halt fails the node and uncordons it",
        NodeFactsFixture.in(NodeState.Draining),
        f -> {
          f.drain = DrainProgress.RUNNING;
          f.at(Duration.ofSeconds(600));
        },
        NodeState.Failed,
        NodeAction.None,
        NodeReasons.DRAIN_TIMED_OUT,
        Outcome.FAILED,
        UNCORDONED);
    row(
        "a timed-out drain under Skip skips the node",
        NodeFactsFixture.in(NodeState.Draining),
        f -> {
          f.drain = DrainProgress.RUNNING;
          f.onTimeout = OnTimeout.Skip;
          f.at(Duration.ofSeconds(601));
        },
        NodeState.Skipped,
        NodeAction.None,
        NodeReasons.DRAIN_TIMED_OUT,
        Outcome.SKIPPED,
        UNCORDONED);
    row(
        "a timed-out drain under Force keeps draining, forcefully",
        NodeFactsFixture.in(NodeState.Draining),
        f -> {
          f.drain = DrainProgress.RUNNING;
          f.onTimeout = OnTimeout.Force;
          f.at(Duration.ofSeconds(700));
        },
        NodeState.Draining,
        NodeAction.None,
        "DrainForced",
        null,
        CORDONED);

    // --- Drained, Rebooting ---
    row(
        "a drained node is told to apply and reboot",
        NodeFactsFixture.in(NodeState.Drained),
        f -> f.staged = NEW,
        NodeState.Rebooting,
        NodeAction.Apply,
        null,
        null,
        CORDONED);
    row(
        "a drained node with a change that needs no reboot verifies",
        NodeFactsFixture.in(NodeState.Drained),
        f -> f.rebootPending = false,
        NodeState.Verifying,
        NodeAction.Apply,
        null,
        null,
        CORDONED);
    row(
        "a rebooting node waits for a new boot",
        NodeFactsFixture.instructed(NodeState.Rebooting, NodeAction.Apply),
        f -> {
          f.agentFinished(Running);
          f.bootBefore = "boot-1";
        },
        NodeState.Rebooting,
        NodeAction.Apply,
        null,
        null,
        CORDONED);
    row(
        "a new boot ID moves a rebooting node to Verifying",
        NodeFactsFixture.instructed(NodeState.Rebooting, NodeAction.Apply),
        f -> {
          f.agentFinished(Running);
          f.bootBefore = "boot-1";
          f.bootId = "boot-2";
        },
        NodeState.Verifying,
        NodeAction.Apply,
        null,
        null,
        CORDONED);
    row(
        "an agent restart alone is no reboot",
        NodeFactsFixture.instructed(NodeState.Rebooting, NodeAction.Apply),
        f -> {
          f.agentFinished(Running);
          f.bootBefore = "boot-1";
          f.bootId = "boot-1";
        },
        NodeState.Rebooting,
        NodeAction.Apply,
        null,
        null,
        CORDONED);
    row(
        "a failed apply before the reboot fails the node and uncordons it",
        NodeFactsFixture.instructed(NodeState.Rebooting, NodeAction.Apply),
        f -> f.agentFinished(Failed),
        NodeState.Failed,
        NodeAction.None,
        NodeReasons.APPLY_FAILED,
        Outcome.FAILED,
        UNCORDONED);
    row(
        "no new boot in time fails the node and keeps it cordoned",
        NodeFactsFixture.instructed(NodeState.Rebooting, NodeAction.Apply),
        f -> {
          f.agentFinished(Running);
          f.bootBefore = "boot-1";
          f.at(Duration.ofSeconds(900));
        },
        NodeState.Failed,
        NodeAction.None,
        NodeReasons.REBOOT_TIMEOUT,
        Outcome.FAILED,
        KEEP);

    // --- Verifying, Applying ---
    row(
        "a Ready node running the target is up to date",
        NodeFactsFixture.in(NodeState.Verifying),
        f -> f.current = NEW,
        NodeState.UpToDate,
        NodeAction.None,
        NodeReasons.UPDATED,
        Outcome.UPDATED,
        UNCORDONED);
    row(
        "a healthy node on the target waits for its afterReboot gate",
        NodeFactsFixture.in(NodeState.Verifying),
        f -> {
          f.current = NEW;
          f.gates = gates(List.of(), List.of("storage.example.com/rejoined"), true);
        },
        NodeState.Verifying,
        NodeAction.None,
        NodeReasons.WAITING_FOR_GATE,
        null,
        CORDONED);
    row(
        "an afterReboot gate unset in time fails the node, which keeps its cordon, even under Skip",
        NodeFactsFixture.in(NodeState.Verifying),
        f -> {
          f.current = NEW;
          f.gates = gates(List.of(), List.of("storage.example.com/rejoined"), true);
          f.at(Duration.ofMinutes(60));
        },
        NodeState.Failed,
        NodeAction.None,
        NodeReasons.GATE_TIMED_OUT,
        Outcome.FAILED,
        KEEP);
    row(
        "a node that is not Ready yet keeps verifying",
        NodeFactsFixture.in(NodeState.Verifying),
        f -> {
          f.current = NEW;
          f.ready = false;
        },
        NodeState.Verifying,
        NodeAction.None,
        null,
        null,
        CORDONED);
    row(
        "a node running another revision keeps verifying",
        NodeFactsFixture.in(NodeState.Verifying),
        f -> f.current = OLD,
        NodeState.Verifying,
        NodeAction.None,
        null,
        null,
        CORDONED);
    row(
        "an unhealthy node keeps verifying",
        NodeFactsFixture.in(NodeState.Verifying),
        f -> {
          f.current = NEW;
          f.healthy = false;
        },
        NodeState.Verifying,
        NodeAction.None,
        null,
        null,
        CORDONED);
    row(
        "a node not Ready in time fails and stays cordoned",
        NodeFactsFixture.in(NodeState.Verifying),
        f -> {
          f.current = NEW;
          f.ready = false;
          f.at(Duration.ofSeconds(600));
        },
        NodeState.Failed,
        NodeAction.None,
        NodeReasons.READY_TIMEOUT,
        Outcome.FAILED,
        KEEP);
    row(
        "a live change applied is up to date",
        NodeFactsFixture.instructed(NodeState.Applying, NodeAction.Apply),
        f -> {
          f.agentFinished(Succeeded);
          f.current = NEW;
        },
        NodeState.UpToDate,
        NodeAction.None,
        NodeReasons.UPDATED,
        Outcome.UPDATED,
        UNCORDONED);
    row(
        "a failed live change fails the node",
        NodeFactsFixture.instructed(NodeState.Applying, NodeAction.Apply),
        f -> f.agentFinished(Failed),
        NodeState.Failed,
        NodeAction.None,
        NodeReasons.APPLY_FAILED,
        Outcome.FAILED,
        UNCORDONED);

    // --- terminal states ---
    row(
        "a failed node stays failed",
        NodeFactsFixture.in(NodeState.Failed),
        f -> f.reason = NodeReasons.STAGE_FAILED,
        NodeState.Failed,
        NodeAction.None,
        NodeReasons.STAGE_FAILED,
        null,
        UNCORDONED);
    row(
        "a node that failed its reboot and is NotReady stays cordoned: it may be broken",
        NodeFactsFixture.in(NodeState.Failed),
        f -> {
          f.reason = NodeReasons.REBOOT_TIMEOUT;
          f.ready = false;
          f.cordonedByRefit = true;
        },
        NodeState.Failed,
        NodeAction.None,
        NodeReasons.REBOOT_TIMEOUT,
        null,
        KEEP);
    row(
        "a node that never rebooted stays cordoned while its agent may still reboot it",
        NodeFactsFixture.in(NodeState.Failed),
        f -> {
          f.reason = NodeReasons.REBOOT_TIMEOUT;
          f.cordonedByRefit = true;
          f.observed = NEW + "-apply-0";
          f.actionState = Running;
          f.bootBefore = "boot-1";
        },
        NodeState.Failed,
        NodeAction.None,
        NodeReasons.REBOOT_TIMEOUT,
        null,
        KEEP);
    row(
        "a node that never rebooted goes back into service once its agent settles",
        NodeFactsFixture.in(NodeState.Failed),
        f -> {
          f.reason = NodeReasons.REBOOT_TIMEOUT;
          f.cordonedByRefit = true;
          f.observed = NEW + "-apply-0";
          f.actionState = Failed;
          f.bootBefore = "boot-1";
          f.current = OLD;
        },
        NodeState.Failed,
        NodeAction.None,
        NodeReasons.REBOOT_TIMEOUT,
        null,
        UNCORDONED);
    row(
        "a node that rebooted into its old OS and is Ready goes back into service",
        NodeFactsFixture.in(NodeState.Failed),
        f -> {
          f.reason = NodeReasons.READY_TIMEOUT;
          f.cordonedByRefit = true;
          f.current = OLD;
          f.bootId = "boot-2";
          f.bootBefore = "boot-1";
          f.actionState = Running;
        },
        NodeState.Failed,
        NodeAction.None,
        NodeReasons.READY_TIMEOUT,
        null,
        UNCORDONED);
    row(
        "a Ready node on the target that failed its health check stays cordoned",
        NodeFactsFixture.in(NodeState.Failed),
        f -> {
          f.reason = NodeReasons.READY_TIMEOUT;
          f.cordonedByRefit = true;
          f.current = NEW;
        },
        NodeState.Failed,
        NodeAction.None,
        NodeReasons.READY_TIMEOUT,
        null,
        KEEP);
    row(
        "a skipped node stays skipped",
        NodeFactsFixture.in(NodeState.Skipped),
        f -> f.reason = NodeReasons.DRAIN_TIMED_OUT,
        NodeState.Skipped,
        NodeAction.None,
        NodeReasons.DRAIN_TIMED_OUT,
        null,
        UNCORDONED);
    // --- autoRollback ---
    row(
        "a node on the target not healthy in time is told to roll back (autoRollback)",
        NodeFactsFixture.instructed(NodeState.Verifying, NodeAction.Apply),
        f -> {
          f.autoRollback = true;
          f.current = NEW;
          f.healthy = false;
          f.at(Duration.ofSeconds(600));
        },
        NodeState.RollingBack,
        NodeAction.Rollback,
        NodeReasons.READY_TIMEOUT,
        null,
        CORDONED);
    row(
        "a node that booted back into its old OS is not rolled back again",
        NodeFactsFixture.instructed(NodeState.Verifying, NodeAction.Apply),
        f -> {
          f.autoRollback = true;
          f.current = OLD;
          f.at(Duration.ofSeconds(600));
        },
        NodeState.Failed,
        NodeAction.None,
        NodeReasons.READY_TIMEOUT,
        Outcome.FAILED,
        UNCORDONED);
    row(
        "a rolling-back node waits for its new boot",
        NodeFactsFixture.instructed(NodeState.RollingBack, NodeAction.Rollback),
        f -> {
          f.agentFinished(Running);
          f.bootBefore = "boot-1";
          f.current = NEW;
        },
        NodeState.RollingBack,
        NodeAction.Rollback,
        null,
        null,
        CORDONED);
    row(
        "a node back on its previous OS, Ready and healthy, is rolled back and back in service",
        NodeFactsFixture.instructed(NodeState.RollingBack, NodeAction.Rollback),
        f -> {
          f.reason = NodeReasons.READY_TIMEOUT;
          f.agentFinished(Succeeded);
          f.bootBefore = "boot-1";
          f.bootId = "boot-2";
          f.current = OLD;
        },
        NodeState.Failed,
        NodeAction.None,
        NodeReasons.ROLLED_BACK,
        Outcome.ROLLED_BACK,
        UNCORDONED);
    row(
        "a rollback the host cannot do fails the node, kept cordoned on the target",
        NodeFactsFixture.instructed(NodeState.RollingBack, NodeAction.Rollback),
        f -> {
          f.agentFinished(Failed);
          f.error = "the host has no rollback deployment to boot";
          f.current = NEW;
        },
        NodeState.Failed,
        NodeAction.None,
        NodeReasons.ROLLBACK_FAILED,
        Outcome.FAILED,
        KEEP);
    row(
        "a rollback not done within the reboot and Ready timeouts fails the node",
        NodeFactsFixture.instructed(NodeState.RollingBack, NodeAction.Rollback),
        f -> {
          f.agentFinished(Running);
          f.bootBefore = "boot-1";
          f.current = NEW;
          f.ready = false;
          f.at(Duration.ofSeconds(1500));
        },
        NodeState.Failed,
        NodeAction.None,
        NodeReasons.ROLLBACK_FAILED,
        Outcome.FAILED,
        KEEP);
  }

  static Stream<Row> rows() {
    return ROWS.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void oneStep(Row row) {
    Decision decision = Lifecycle.next(row.given().build());

    assertThat(decision.state()).as("state").isEqualTo(row.state());
    assertThat(decision.action()).as("action").isEqualTo(row.action());
    assertThat(decision.reason()).as("reason").isEqualTo(row.reason());
    assertThat(decision.outcome()).as("outcome").isEqualTo(row.outcome());
    assertThat(decision.cordon()).as("cordon").isEqualTo(row.cordon());
    assertThat(decision.drain()).as("drain").isEqualTo(row.state() == NodeState.Draining);
  }

  @Test
  void everyStateHasRows() {
    Set<NodeState> covered = EnumSet.noneOf(NodeState.class);
    ROWS.forEach(r -> covered.add(r.given().state));
    assertThat(covered).containsExactlyInAnyOrder(NodeState.values());
  }

  @Test
  void instructionIdentitiesAreDerivedSoARecomputedStepIssuesTheSameOne() {
    NodeFactsFixture pending = NodeFactsFixture.in(NodeState.Pending);
    pending.current = OLD;
    Decision first = Lifecycle.next(pending.build());
    Decision again = Lifecycle.next(pending.build());
    assertThat(first.actionId()).isEqualTo(NEW + "-stage-0").isEqualTo(again.actionId());
  }

  @Test
  void aDriftedHostIsGivenAnInstructionItHasNotTakenUpBefore() {
    NodeFactsFixture drifted = NodeFactsFixture.in(NodeState.Staged);
    drifted.reason = NodeReasons.SELINUX_DRIFT;
    drifted.current = "other-" + NEW;
    drifted.staged = NEW;
    drifted.rebootPending = false;
    drifted.granted = true;
    // the agent finished this revision's apply when the node was first updated
    drifted.observed = NEW + "-apply-0";
    drifted.actionState = dev.refit.api.ActionState.Succeeded;

    Decision reapply = Lifecycle.next(drifted.build());
    // the same step computed again a little later, before the first write was seen
    drifted.now = drifted.now.plusSeconds(3);
    Decision again = Lifecycle.next(drifted.build());

    assertThat(reapply.state()).isEqualTo(NodeState.Applying);
    assertThat(reapply.actionId())
        .startsWith(NEW + "-apply-0-")
        .isNotEqualTo(drifted.observed)
        .isEqualTo(again.actionId());
  }

  @Test
  void timedStatesAskToBeWokenAtTheirDeadline() {
    NodeFactsFixture draining = NodeFactsFixture.in(NodeState.Draining);
    draining.drain = DrainProgress.RUNNING;
    assertThat(Lifecycle.next(draining.build()).wakeAt())
        .isEqualTo(NodeFactsFixture.T0.plusSeconds(600));
  }

  @Test
  void aGateWaitNamesTheGateIsWokenAtItsDeadlineAndATimedOutGateHaltsTheRollout() {
    NodeFactsFixture cordoned = NodeFactsFixture.in(NodeState.Cordoned);
    cordoned.gates =
        gates(List.of("storage.example.com/drain-ok", "backup.example.com/done"), List.of(), false);
    Decision waiting = Lifecycle.next(cordoned.build());

    assertThat(waiting.message())
        .isEqualTo(
            "waiting for gates storage.example.com/drain-ok, backup.example.com/done to be"
                + " \"true\" on the Node before its drain");
    assertThat(waiting.wakeAt()).isEqualTo(NodeFactsFixture.T0.plus(Duration.ofMinutes(60)));
    assertThat(Lifecycle.halts(NodeState.Failed, NodeReasons.GATE_TIMED_OUT)).isTrue();
    assertThat(Lifecycle.halts(NodeState.Skipped, NodeReasons.GATE_TIMED_OUT)).isFalse();
  }

  @Test
  void settleTakesEveryStepThatNeedsNoWaiting() {
    NodeFactsFixture staged = NodeFactsFixture.in(NodeState.Staged);
    staged.staged = NEW;
    staged.granted = true;
    List<Decision> steps = Lifecycle.settle(staged.build());
    assertThat(steps)
        .extracting(Decision::state)
        .containsExactly(NodeState.Cordoned, NodeState.Draining, NodeState.Draining);
  }
}
