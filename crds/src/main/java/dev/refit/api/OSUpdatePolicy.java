package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The OS version and SELinux policy a group of nodes must run, and how Refit may roll it out.
 * Cluster-scoped, like the nodes it selects.
 */
@Group(RefitApi.GROUP)
@Version(RefitApi.VERSION)
@Kind("OSUpdatePolicy")
@Plural("osupdatepolicies")
@Singular("osupdatepolicy")
@ShortNames("osup")
@AdditionalPrinterColumn(
    name = "Target",
    jsonPath = ".status.target",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Updated",
    jsonPath = ".status.progress",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Progressing",
    jsonPath = ".status.conditions[?(@.type==\"Progressing\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Degraded",
    jsonPath = ".status.conditions[?(@.type==\"Degraded\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Waiting For",
    jsonPath = ".status.waitingFor",
    type = AdditionalPrinterColumn.Type.STRING)
@ValidationRule(
    value = "has(self.spec)",
    message =
        "spec is missing: add spec.nodeSelector (which nodes) and spec.os (what they must run),"
            + " as in docs/examples/minimal.yaml")
public class OSUpdatePolicy extends CustomResource<OSUpdatePolicySpec, OSUpdatePolicyStatus> {

  @Override
  @Required
  @JsonPropertyDescription(
      "What the selected nodes must run, and how Refit may roll it out. Written by people and GitOps tools; Refit never changes it.")
  public OSUpdatePolicySpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Where the rollout stands. Written by the operator.")
  public OSUpdatePolicyStatus getStatus() {
    return super.getStatus();
  }

  @Override
  protected OSUpdatePolicyStatus initStatus() {
    return new OSUpdatePolicyStatus();
  }
}
