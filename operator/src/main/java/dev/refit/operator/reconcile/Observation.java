package dev.refit.operator.reconcile;

import dev.refit.api.OSNode;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.operator.plan.Claims;
import dev.refit.operator.plan.ModuleSources;
import dev.refit.operator.plan.Round;
import dev.refit.operator.plan.SpecProblem;
import dev.refit.operator.plan.Windows;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one round of a policy reads, taken once at its start from the informer caches (and
 * what this operator wrote since), so every decision of the round sees the same cluster.
 *
 * @param policy the policy, with the status it has now
 * @param now the time of the round
 * @param nodes every Node
 * @param claims which policy manages which Node
 * @param specProblems what is wrong with the policy's spec, and the module sources it cannot read
 * @param target the revision the round rolls out and its module digests, from the modules' CIL
 * @param ours the OSNodes this policy holds, by node name
 * @param managed the nodes this policy may act on now, with their OSNodes, drains and health
 * @param window the schedule's state now
 */
public record Observation(
    OSUpdatePolicy policy,
    Instant now,
    List<Node> nodes,
    Claims claims,
    List<SpecProblem> specProblems,
    ModuleSources.Target target,
    Map<String, OSNode> ours,
    List<Round.NodeInput> managed,
    Windows.State window) {

  /** The policy's name. */
  public String name() {
    return policy.getMetadata().getName();
  }
}
