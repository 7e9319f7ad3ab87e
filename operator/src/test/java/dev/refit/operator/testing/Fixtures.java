package dev.refit.operator.testing;

import dev.refit.api.OSTarget;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OSUpdatePolicySpec;
import dev.refit.api.Selector;
import dev.refit.operator.lifecycle.NodeFacts.Timeouts;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.Map;

/** Small builders for the objects tests create. */
public final class Fixtures {

  /** Phase timeouts for planning tests: staging 60 min, drain 10, reboot 15, Ready 10. */
  public static final Timeouts TIMEOUTS =
      new Timeouts(
          Duration.ofMinutes(60),
          Duration.ofMinutes(10),
          Duration.ofMinutes(15),
          Duration.ofMinutes(10));

  private Fixtures() {}

  /** A Ready node with these labels. */
  public static Node node(String name, Map<String, String> labels) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .endSpec()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .withNewNodeInfo()
        .withBootID("boot-" + name + "-0")
        .endNodeInfo()
        .endStatus()
        .build();
  }

  /** A policy selecting nodes with these labels and running this OS version. */
  public static OSUpdatePolicy policy(String name, Map<String, String> selector, String version) {
    OSUpdatePolicy policy = new OSUpdatePolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName(name).build());
    OSUpdatePolicySpec spec = new OSUpdatePolicySpec();
    spec.setNodeSelector(Selector.matching(selector));
    spec.setOs(OSTarget.version(version));
    policy.setSpec(spec);
    return policy;
  }
}
