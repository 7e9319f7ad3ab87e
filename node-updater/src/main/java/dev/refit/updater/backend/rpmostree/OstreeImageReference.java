package dev.refit.updater.backend.rpmostree;

import dev.refit.updater.backend.ImageTransport;
import dev.refit.updater.host.HostOutputException;
import java.util.Objects;
import java.util.Optional;

/**
 * An rpm-ostree {@code container-image-reference}, split into how signatures are checked, the
 * transport, and the plain image reference a person would pull.
 *
 * <p>The grammar is ostree-container's: {@code <verification>:<transport>:<image>}, where the
 * verification is {@code ostree-image-signed} (containers-policy.json), {@code
 * ostree-unverified-image} (no check), or {@code ostree-remote-image:<remote>} (signatures of an
 * ostree remote), and the shorthands {@code ostree-unverified-registry:<image>} and {@code
 * ostree-remote-registry:<remote>:<image>} imply the registry transport. The transport is {@code
 * registry:}, {@code docker://} (same thing) or another containers-image transport.
 *
 * @param verification how the image's signature is checked
 * @param remote the ostree remote whose keys verify it, for {@link Verification#OSTREE_REMOTE}
 * @param transport where the image comes from
 * @param image the plain reference, e.g. {@code quay.io/fedora/fedora-coreos:stable}
 * @param original the reference exactly as rpm-ostree printed it
 */
public record OstreeImageReference(
    Verification verification,
    Optional<String> remote,
    ImageTransport transport,
    String image,
    String original) {

  /** How the image's signature is verified before it is deployed. */
  public enum Verification {
    /** {@code ostree-image-signed}: the host's containers-policy.json decides. */
    CONTAINER_POLICY,
    /** {@code ostree-unverified-image} / {@code ostree-unverified-registry}: not checked. */
    UNVERIFIED,
    /** {@code ostree-remote-image} / {@code ostree-remote-registry}: an ostree remote's keys. */
    OSTREE_REMOTE
  }

  /** Validates the fields. */
  public OstreeImageReference {
    Objects.requireNonNull(verification, "verification");
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(original, "original");
  }

  /** Parses a reference as rpm-ostree prints it; {@code command} is named in errors. */
  public static OstreeImageReference parse(String reference, String command)
      throws HostOutputException {
    String expected = "an ostree container image reference such as ostree-image-signed:docker://…";
    int colon = reference.indexOf(':');
    if (colon <= 0) {
      throw new HostOutputException(command, expected, reference);
    }
    String scheme = reference.substring(0, colon);
    String rest = reference.substring(colon + 1);
    Verification verification;
    String remote = null;
    switch (scheme) {
      case "ostree-image-signed" -> verification = Verification.CONTAINER_POLICY;
      case "ostree-unverified-image" -> verification = Verification.UNVERIFIED;
      case "ostree-unverified-registry" -> {
        verification = Verification.UNVERIFIED;
        rest = "registry:" + rest;
      }
      case "ostree-remote-image", "ostree-remote-registry" -> {
        verification = Verification.OSTREE_REMOTE;
        int split = rest.indexOf(':');
        if (split <= 0) {
          throw new HostOutputException(command, expected + " with a remote name", reference);
        }
        remote = rest.substring(0, split);
        rest = rest.substring(split + 1);
        if (scheme.equals("ostree-remote-registry")) {
          rest = "registry:" + rest;
        }
      }
      default -> throw new HostOutputException(command, expected, reference);
    }
    return withTransport(verification, remote, rest, reference, command, expected);
  }

  private static OstreeImageReference withTransport(
      Verification verification,
      String remote,
      String rest,
      String reference,
      String command,
      String expected)
      throws HostOutputException {
    int colon = rest.indexOf(':');
    if (colon <= 0) {
      throw new HostOutputException(command, expected + " with a transport", reference);
    }
    String transportName = rest.substring(0, colon);
    String image = rest.substring(colon + 1);
    ImageTransport transport =
        ImageTransport.fromWireName(transportName)
            .orElseThrow(
                () -> new HostOutputException(command, "a known image transport", reference));
    if (transportName.equals("docker")) {
      if (!image.startsWith("//")) {
        throw new HostOutputException(command, "docker:// with two slashes", reference);
      }
      image = image.substring(2);
    }
    if (image.isEmpty()) {
      throw new HostOutputException(command, expected + " with an image name", reference);
    }
    return new OstreeImageReference(
        verification, Optional.ofNullable(remote), transport, image, reference);
  }
}
