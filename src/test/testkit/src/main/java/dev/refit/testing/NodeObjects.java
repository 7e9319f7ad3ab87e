package dev.refit.testing;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The objects a fake node and its kubelet publish: the Node and its DaemonSet pod. */
final class NodeObjects {

  static final String SYSTEM_NAMESPACE = "kube-system";
  static final String DAEMON_SET = "kube-proxy";
  static final Map<String, String> DAEMON_LABELS = Map.of("k8s-app", DAEMON_SET);
  private static final String IMAGE = "registry.k8s.io/kube-proxy:v1.31.2";

  private NodeObjects() {}

  static io.fabric8.kubernetes.api.model.Node node(
      String name, Map<String, String> labels, String bootId, int index) {
    Map<String, String> allLabels = new LinkedHashMap<>();
    allLabels.put("kubernetes.io/hostname", name);
    allLabels.put("kubernetes.io/os", "linux");
    allLabels.put("kubernetes.io/arch", "amd64");
    allLabels.putAll(labels);
    Map<String, Quantity> resources =
        Map.of(
            "cpu", new Quantity("4"),
            "memory", new Quantity("16Gi"),
            "ephemeral-storage", new Quantity("100Gi"),
            "pods", new Quantity("110"));
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(allLabels)
        .endMetadata()
        .withNewSpec()
        .withPodCIDR("10.244." + (index % 250) + ".0/24")
        .endSpec()
        .withNewStatus()
        .withConditions(conditions("True", "KubeletReady", "kubelet is posting ready status"))
        .addNewAddress("10.0." + (index / 250) + "." + (index % 250 + 2), "InternalIP")
        .addNewAddress(name, "Hostname")
        .withCapacity(resources)
        .withAllocatable(resources)
        .withNewNodeInfo()
        .withBootID(bootId)
        .withMachineID(UUID.randomUUID().toString().replace("-", ""))
        .withSystemUUID(UUID.randomUUID().toString())
        .withOsImage("Ubuntu 24.04.1 LTS")
        .withKernelVersion("6.8.0-48-generic")
        .withKubeletVersion("v1.31.2")
        .withKubeProxyVersion("v1.31.2")
        .withContainerRuntimeVersion("containerd://1.7.22")
        .withOperatingSystem("linux")
        .withArchitecture("amd64")
        .endNodeInfo()
        .endStatus()
        .build();
  }

  /**
   * The node's conditions for a Ready status of True, False or Unknown. When the kubelet stops
   * posting, every condition turns Unknown, as the node lifecycle controller does.
   */
  static List<NodeCondition> conditions(String ready, String reason, String message) {
    String now = PodStates.now();
    boolean unknown = "Unknown".equals(ready);
    List<NodeCondition> conditions = new ArrayList<>();
    for (String pressure : List.of("MemoryPressure", "DiskPressure", "PIDPressure")) {
      conditions.add(
          new NodeConditionBuilder()
              .withType(pressure)
              .withStatus(unknown ? "Unknown" : "False")
              .withReason(unknown ? "NodeStatusUnknown" : "KubeletHasNo" + pressure)
              .withLastHeartbeatTime(now)
              .withLastTransitionTime(now)
              .build());
    }
    conditions.add(
        new NodeConditionBuilder()
            .withType("Ready")
            .withStatus(ready)
            .withReason(reason)
            .withMessage(message)
            .withLastHeartbeatTime(now)
            .withLastTransitionTime(now)
            .build());
    return conditions;
  }

  static DaemonSet daemonSet() {
    return new DaemonSetBuilder()
        .withNewMetadata()
        .withName(DAEMON_SET)
        .withNamespace(SYSTEM_NAMESPACE)
        .withLabels(DAEMON_LABELS)
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .withMatchLabels(DAEMON_LABELS)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(DAEMON_LABELS)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName(DAEMON_SET)
        .withImage(IMAGE)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** The DaemonSet's pod on one node, as the DaemonSet controller creates it (bound, Ready). */
  static Pod daemonPod(String node, DaemonSet owner) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(DAEMON_SET + "-" + node)
            .withNamespace(SYSTEM_NAMESPACE)
            .withLabels(DAEMON_LABELS)
            .addNewOwnerReference()
            .withApiVersion("apps/v1")
            .withKind("DaemonSet")
            .withName(owner.getMetadata().getName())
            .withUid(owner.getMetadata().getUid())
            .withController(true)
            .withBlockOwnerDeletion(true)
            .endOwnerReference()
            .endMetadata()
            .withNewSpec()
            .withNodeName(node)
            .withPriorityClassName("system-node-critical")
            .withTerminationGracePeriodSeconds(30L)
            .addNewToleration()
            .withOperator("Exists")
            .endToleration()
            .addNewContainer()
            .withName(DAEMON_SET)
            .withImage(IMAGE)
            .endContainer()
            .endSpec()
            .build();
    pod.setStatus(PodStates.running(pod, true));
    return pod;
  }
}
