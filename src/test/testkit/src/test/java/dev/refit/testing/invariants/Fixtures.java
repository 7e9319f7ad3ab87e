package dev.refit.testing.invariants;

import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import dev.refit.api.OSNodeSpec;
import dev.refit.api.OSTarget;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OSUpdatePolicySpec;
import dev.refit.api.RefitApi;
import dev.refit.api.Selector;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** Synthetic objects as a watch would deliver them, and a clock the test moves by hand. */
final class Fixtures {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private Fixtures() {}

  enum Cordon {
    NONE,
    PERSON,
    REFIT
  }

  /** A clock that stands still until the test moves it. */
  static final class ManualClock extends Clock {
    private Instant now = T0;

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  static Node node(String name, Cordon cordon, boolean ready) {
    return node(name, Map.of("pool", "p"), cordon, ready, "boot-" + name);
  }

  static Node node(
      String name, Map<String, String> labels, Cordon cordon, boolean ready, String bootId) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .withAnnotations(
            cordon == Cordon.REFIT ? Map.of(RefitApi.CORDONED_ANNOTATION, "x") : Map.of())
        .endMetadata()
        .withNewSpec()
        .withUnschedulable(cordon != Cordon.NONE)
        .endSpec()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .withNewNodeInfo()
        .withBootID(bootId)
        .endNodeInfo()
        .endStatus()
        .build();
  }

  /** A policy selecting {@code pool=<pool>}, targeting this version, with this limit. */
  static OSUpdatePolicy policy(String name, String pool, String version, int maxUnavailable) {
    OSUpdatePolicy policy = new OSUpdatePolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName(name).build());
    OSUpdatePolicySpec spec = new OSUpdatePolicySpec();
    spec.setNodeSelector(Selector.matching(Map.of("pool", pool)));
    spec.setOs(OSTarget.version(version));
    spec.setMaxUnavailable(new IntOrString(maxUnavailable));
    policy.setSpec(spec);
    return policy;
  }

  /** An OSNode in this state, with no report from its agent yet. */
  static OSNode osNode(String name, NodeState state) {
    OSNode osNode = new OSNode();
    osNode.setMetadata(new ObjectMetaBuilder().withName(name).build());
    OSNodeSpec spec = new OSNodeSpec();
    spec.setState(state);
    osNode.setSpec(spec);
    return osNode;
  }

  /** A running pod bound to a node. */
  static Pod pod(String name, String node) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("shop")
        .withName(name)
        .withLabels(new HashMap<>(Map.of("app", "web")))
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .endStatus()
        .build();
  }
}
