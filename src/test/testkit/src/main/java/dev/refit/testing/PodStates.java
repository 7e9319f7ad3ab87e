package dev.refit.testing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Pod statuses as a kubelet and scheduler would write them, for the fakes and the simulator. */
public final class PodStates {

  private PodStates() {}

  /** Created, but no node fits: what the scheduler reports. */
  public static PodStatus unschedulable(String message) {
    return new PodStatusBuilder()
        .withPhase("Pending")
        .withConditions(condition("PodScheduled", false, "Unschedulable", message))
        .build();
  }

  /** Bound to a node, containers still starting. */
  public static PodStatus starting() {
    return new PodStatusBuilder()
        .withPhase("Pending")
        .withConditions(
            condition("PodScheduled", true, null, null),
            condition("Initialized", true, null, null),
            condition("ContainersReady", false, "ContainersNotReady", null),
            condition("Ready", false, "ContainersNotReady", null))
        .build();
  }

  /** Running; Ready as given (a pod on a node that is down runs but is not Ready). */
  public static PodStatus running(Pod pod, boolean ready) {
    List<ContainerStatus> containers = new ArrayList<>();
    for (Container container : pod.getSpec().getContainers()) {
      containers.add(
          new ContainerStatusBuilder()
              .withName(container.getName())
              .withImage(container.getImage())
              .withReady(ready)
              .withStarted(true)
              .withRestartCount(0)
              .withNewState()
              .withNewRunning()
              .withStartedAt(now())
              .endRunning()
              .endState()
              .build());
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String podIp = "10.244." + random.nextInt(0, 255) + "." + random.nextInt(2, 255);
    return new PodStatusBuilder()
        .withPhase("Running")
        .withStartTime(now())
        .withPodIP(podIp)
        .withConditions(
            condition("PodScheduled", true, null, null),
            condition("Initialized", true, null, null),
            condition("ContainersReady", ready, ready ? null : "ContainersNotReady", null),
            condition("Ready", ready, ready ? null : "ContainersNotReady", null))
        .withContainerStatuses(containers)
        .build();
  }

  /** The same status with Ready and ContainersReady (and each container's ready flag) set. */
  static PodStatus withReady(PodStatus current, boolean ready) {
    PodStatusBuilder next = new PodStatusBuilder(current);
    List<PodCondition> conditions = new ArrayList<>();
    boolean sawReady = false;
    boolean sawContainersReady = false;
    for (PodCondition c : current.getConditions()) {
      if ("Ready".equals(c.getType()) || "ContainersReady".equals(c.getType())) {
        sawReady |= "Ready".equals(c.getType());
        sawContainersReady |= "ContainersReady".equals(c.getType());
        boolean unchanged = String.valueOf(ready).equalsIgnoreCase(c.getStatus());
        conditions.add(
            unchanged
                ? c
                : condition(c.getType(), ready, ready ? null : "ContainersNotReady", null));
      } else {
        conditions.add(c);
      }
    }
    if (!sawContainersReady) {
      conditions.add(condition("ContainersReady", ready, null, null));
    }
    if (!sawReady) {
      conditions.add(condition("Ready", ready, null, null));
    }
    next.withConditions(conditions);
    next.withContainerStatuses(
        current.getContainerStatuses().stream()
            .map(s -> new ContainerStatusBuilder(s).withReady(ready).build())
            .toList());
    return next.build();
  }

  static boolean isReady(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static PodCondition condition(String type, boolean status, String reason, String message) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(now())
        .build();
  }

  static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
