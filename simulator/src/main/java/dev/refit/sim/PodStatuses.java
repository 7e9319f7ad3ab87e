package dev.refit.sim;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Pod statuses as the scheduler and a kubelet write them, for the simulated workloads. */
final class PodStatuses {

  private PodStatuses() {}

  /** Created, but no node fits: the scheduler's verdict. */
  static PodStatus unschedulable(String message) {
    return new PodStatusBuilder()
        .withPhase("Pending")
        .withConditions(condition("PodScheduled", false, "Unschedulable", message))
        .build();
  }

  /** Bound to a node, containers still starting. */
  static PodStatus starting() {
    return new PodStatusBuilder()
        .withPhase("Pending")
        .withConditions(
            condition("PodScheduled", true, null, null),
            condition("Ready", false, "ContainersNotReady", null))
        .build();
  }

  /** Running; Ready as given (a pod on a node that is down runs but is not Ready). */
  static PodStatus running(Pod pod, boolean ready) {
    String now = now();
    List<Container> containers = pod.getSpec().getContainers();
    return new PodStatusBuilder()
        .withPhase("Running")
        .withStartTime(now)
        .withConditions(
            condition("PodScheduled", true, null, null),
            condition("Initialized", true, null, null),
            condition("ContainersReady", ready, ready ? null : "ContainersNotReady", null),
            condition("Ready", ready, ready ? null : "ContainersNotReady", null))
        .withContainerStatuses(
            containers.stream()
                .map(
                    c ->
                        new ContainerStatusBuilder()
                            .withName(c.getName())
                            .withImage(c.getImage())
                            .withReady(ready)
                            .withStarted(true)
                            .withRestartCount(0)
                            .withNewState()
                            .withNewRunning()
                            .withStartedAt(now)
                            .endRunning()
                            .endState()
                            .build())
                .toList())
        .build();
  }

  private static PodCondition condition(String type, boolean status, String reason, String text) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withReason(reason)
        .withMessage(text)
        .withLastTransitionTime(now())
        .build();
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
