package dev.refit.updater.backend.bootc;

import dev.refit.updater.backend.ImageTransport;
import java.util.Objects;
import java.util.Optional;

/**
 * An image reference as bootc prints it: the plain reference and its transport, kept apart.
 *
 * @param image e.g. {@code quay.io/centos-bootc/centos-bootc:stream9}, or a path for oci
 * @param transport where the image comes from
 * @param signature how its signature is checked: {@code insecure}, {@code containerPolicy}, or
 *     {@code ostreeRemote:<name>}; absent when bootc does not say (which means no enforcement:
 *     bootc omits the field for {@code ostree-unverified-*} references)
 */
public record BootcImageReference(
    String image, ImageTransport transport, Optional<String> signature) {

  /** The signature value bootc prints when fetches must satisfy containers-policy.json. */
  public static final String CONTAINER_POLICY = "containerPolicy";

  static final String OSTREE_REMOTE = "ostreeRemote:";

  /** Validates the fields. */
  public BootcImageReference {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(signature, "signature");
  }

  /**
   * Whether fetches must satisfy /etc/containers/policy.json and bootc refuses a policy whose
   * default is {@code insecureAcceptAnything} ({@code ImageSignature::ContainerPolicy}).
   */
  public boolean enforcesContainerPolicy() {
    return signature.filter(CONTAINER_POLICY::equals).isPresent();
  }

  /** The ostree remote whose keys verify the image, if verification goes through one. */
  public Optional<String> ostreeRemote() {
    return signature
        .filter(s -> s.startsWith(OSTREE_REMOTE))
        .map(s -> s.substring(OSTREE_REMOTE.length()));
  }
}
