package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One bootable OS deployment of a host: what it booted, has staged, or can roll back to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HostDeployment {

  @JsonPropertyDescription("OS version, as the OS tool reports it (e.g. 41.20250101.3.0).")
  private String version;

  @JsonPropertyDescription("Container image reference the deployment came from, if image-based.")
  private String image;

  @JsonPropertyDescription("Image digest (sha256:...), if image-based.")
  private String digest;

  @JsonPropertyDescription("OSTree commit checksum, for rpm-ostree and bootc hosts.")
  private String checksum;

  public HostDeployment() {}

  public HostDeployment(String version, String image, String digest, String checksum) {
    this.version = version;
    this.image = image;
    this.digest = digest;
    this.checksum = checksum;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public String getDigest() {
    return digest;
  }

  public void setDigest(String digest) {
    this.digest = digest;
  }

  public String getChecksum() {
    return checksum;
  }

  public void setChecksum(String checksum) {
    this.checksum = checksum;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostDeployment other
        && Objects.equals(version, other.version)
        && Objects.equals(image, other.image)
        && Objects.equals(digest, other.digest)
        && Objects.equals(checksum, other.checksum);
  }

  @Override
  public int hashCode() {
    return Objects.hash(version, image, digest, checksum);
  }

  @Override
  public String toString() {
    if (version != null) {
      return version;
    }
    if (image != null) {
      return image;
    }
    return checksum != null ? checksum : "an OS of unknown version";
  }
}
