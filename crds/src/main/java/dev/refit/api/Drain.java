package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** How a node is drained before it reboots. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.loadBalancerWaitSeconds) || self.loadBalancerWaitSeconds == 0"
            + " || !has(self.excludeFromLoadBalancers) || self.excludeFromLoadBalancers",
    message =
        "loadBalancerWaitSeconds waits for load balancers to drop the node, which only"
            + " excludeFromLoadBalancers: true asks them to do")
@ValidationRule(
    value =
        "!has(self.loadBalancerWaitSeconds) || !has(self.timeoutSeconds)"
            + " || self.loadBalancerWaitSeconds < self.timeoutSeconds",
    message =
        "loadBalancerWaitSeconds counts toward the drain's timeoutSeconds: make it shorter, or"
            + " the timeout longer")
public class Drain {

  @JsonPropertyDescription(
      "Seconds the drain may take, from cordon until the last evicted pod is gone.")
  @Default("600")
  @Min(1)
  @Max(86400)
  private Integer timeoutSeconds = 600;

  @JsonPropertyDescription(
      "Grace period given to each evicted pod, overriding the pod's own"
          + " terminationGracePeriodSeconds. Omit to use each pod's own.")
  @Min(0)
  @Max(86400)
  private Integer gracePeriodSeconds;

  @JsonPropertyDescription(
      "Evict pods that use emptyDir volumes (their data is lost). When false, such a pod"
          + " blocks the drain and is reported.")
  @Default("false")
  private Boolean deleteEmptyDirData = false;

  @JsonPropertyDescription(
      "Pods matching this selector are left running on the node (as DaemonSet and mirror pods"
          + " always are).")
  private Selector podSelector;

  @JsonPropertyDescription(
      "What to do when the timeout passes: Halt (mark the node Failed, uncordon it on its old OS"
          + " and stop the rollout until a person acts), Skip (uncordon the node, leave it on its"
          + " old OS for this target and continue with the others), or Force (delete the remaining"
          + " pods, ignoring PodDisruptionBudgets, and go on with the update).")
  @Default("Halt")
  private OnTimeout onTimeout = OnTimeout.Halt;

  @JsonPropertyDescription(
      "Label the node node.kubernetes.io/exclude-from-external-load-balancers while it is"
          + " disrupted, so cloud load balancers stop sending it traffic before it reboots.")
  @Default("true")
  private Boolean excludeFromLoadBalancers = true;

  @JsonPropertyDescription(
      "Seconds to wait, once the node is labelled for exclusion from load balancers, before"
          + " the first eviction and before the node may reboot: the time external load"
          + " balancers take to stop sending it traffic (health checks, connection draining)."
          + " Counts toward timeoutSeconds. Omit or 0 for no wait.")
  @Min(0)
  @Max(3600)
  private Integer loadBalancerWaitSeconds;

  public Drain() {}

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds == null ? 600 : timeoutSeconds;
  }

  public Integer getGracePeriodSeconds() {
    return gracePeriodSeconds;
  }

  public void setGracePeriodSeconds(Integer gracePeriodSeconds) {
    this.gracePeriodSeconds = gracePeriodSeconds;
  }

  public Boolean getDeleteEmptyDirData() {
    return deleteEmptyDirData;
  }

  public void setDeleteEmptyDirData(Boolean deleteEmptyDirData) {
    this.deleteEmptyDirData = deleteEmptyDirData == null ? false : deleteEmptyDirData;
  }

  public Selector getPodSelector() {
    return podSelector;
  }

  public void setPodSelector(Selector podSelector) {
    this.podSelector = podSelector;
  }

  public OnTimeout getOnTimeout() {
    return onTimeout;
  }

  public void setOnTimeout(OnTimeout onTimeout) {
    this.onTimeout = onTimeout == null ? OnTimeout.Halt : onTimeout;
  }

  public Boolean getExcludeFromLoadBalancers() {
    return excludeFromLoadBalancers;
  }

  public void setExcludeFromLoadBalancers(Boolean excludeFromLoadBalancers) {
    this.excludeFromLoadBalancers = excludeFromLoadBalancers == null || excludeFromLoadBalancers;
  }

  public Integer getLoadBalancerWaitSeconds() {
    return loadBalancerWaitSeconds;
  }

  public void setLoadBalancerWaitSeconds(Integer loadBalancerWaitSeconds) {
    this.loadBalancerWaitSeconds = loadBalancerWaitSeconds;
  }
}
