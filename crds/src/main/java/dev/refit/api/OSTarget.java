package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** The operating system a node must run: a container image or a version. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.image) != has(self.version)",
    message =
        "set exactly one of os.image (a container image, for rpm-ostree and bootc hosts) or"
            + " os.version (a release version, for any family)")
@ValidationRule(
    value =
        "!has(self.family) || !(self.family in ['Bottlerocket', 'Flatcar']) || has(self.version)",
    message =
        "Bottlerocket and Flatcar are updated by release version: set os.version, not os.image")
@ValidationRule(
    value = "!has(self.family) || self.family != 'Bootc' || has(self.image)",
    message = "bootc hosts switch to a container image: set os.image, not os.version")
public class OSTarget {

  @JsonPropertyDescription(
      "Container image to boot, for rpm-ostree (Fedora CoreOS, RHCOS, CentOS Stream CoreOS) and"
          + " bootc hosts: a fully qualified reference with a tag or, preferably, a digest, e.g."
          + " quay.io/fedora/fedora-coreos@sha256:<64 hex digits>. Mutually exclusive with version.")
  @Size(max = 512)
  @ValidationRule(
      value = "self.matches(r'" + Patterns.IMAGE_WITH_REGISTRY + "')",
      message =
          "image must name its registry host first (a host with a '.' or a port, or localhost):"
              + " quay.io/fedora/fedora-coreos:stable, not fedora/fedora-coreos:stable or"
              + " fedora-coreos:stable")
  @ValidationRule(
      value = "self.matches(r'" + Patterns.IMAGE + "')",
      message =
          "image must be a fully qualified reference with a tag or digest, like"
              + " quay.io/fedora/fedora-coreos:stable or"
              + " registry.example.com/os/node@sha256:<64 hex digits>")
  private String image;

  @JsonPropertyDescription(
      "Release version to run, as the OS tools print it: 41.20250101.3.0 (rpm-ostree),"
          + " 1.19.2 (Bottlerocket), 3510.3.5 (Flatcar). Mutually exclusive with image.")
  @Size(max = 128)
  @ValidationRule(
      value = "self.matches(r'" + Patterns.OS_VERSION + "')",
      message =
          "version must be a release version like 41.20250101.3.0 or 1.19.2: letters, digits,"
              + " '.', '_', '+', '~' and '-', starting with a letter or digit")
  private String version;

  @JsonPropertyDescription(
      "OS family the target is meant for. Optional: the node-updater detects each host's family"
          + " from /etc/os-release; when set, nodes of another family are reported as mismatched"
          + " and left alone.")
  private OSFamily family;

  public OSTarget() {}

  /** A target naming a release version. */
  public static OSTarget version(String version) {
    OSTarget target = new OSTarget();
    target.setVersion(version);
    return target;
  }

  /** A target naming a container image. */
  public static OSTarget image(String image) {
    OSTarget target = new OSTarget();
    target.setImage(image);
    return target;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public OSFamily getFamily() {
    return family;
  }

  public void setFamily(OSFamily family) {
    this.family = family;
  }

  /** What a person reads as "the target": the version, or the image reference. */
  public String display() {
    return version != null ? version : image;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OSTarget other
        && Objects.equals(image, other.image)
        && Objects.equals(version, other.version)
        && family == other.family;
  }

  @Override
  public int hashCode() {
    return Objects.hash(image, version, family);
  }

  @Override
  public String toString() {
    return display() + (family == null ? "" : " (" + family + ")");
  }
}
