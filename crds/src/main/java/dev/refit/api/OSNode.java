package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One per managed node, named after the node and owned by it. The operator writes the spec (the
 * work order), the node's agent writes the status (the host's facts). Cluster-scoped.
 */
@Group(RefitApi.GROUP)
@Version(RefitApi.VERSION)
@Kind("OSNode")
@Plural("osnodes")
@Singular("osnode")
@ShortNames("osn")
@AdditionalPrinterColumn(
    name = "Policy",
    jsonPath = ".spec.policy",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Current",
    jsonPath = ".status.booted.version",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Desired",
    jsonPath = ".spec.target",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "State",
    jsonPath = ".spec.state",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "SELinux",
    jsonPath = ".status.selinux.mode",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class OSNode extends CustomResource<OSNodeSpec, OSNodeStatus> {

  @Override
  @JsonPropertyDescription(
      "The operator's work order for the node: target, instruction to the agent, lifecycle state. Written only by the operator.")
  public OSNodeSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "The host's facts, reported by the node's agent (node-updater). Written only by the agent.")
  public OSNodeStatus getStatus() {
    return super.getStatus();
  }

  @Override
  protected OSNodeStatus initStatus() {
    return new OSNodeStatus();
  }
}
