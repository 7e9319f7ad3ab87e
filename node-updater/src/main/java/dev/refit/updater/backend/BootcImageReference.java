package dev.refit.updater.backend;

import java.util.Objects;
import java.util.Optional;

/**
 * An image reference as bootc prints it: the plain reference and its transport, kept apart.
 *
 * @param image e.g. {@code quay.io/centos-bootc/centos-bootc:stream9}, or a path for oci
 * @param transport where the image comes from
 * @param signature how its signature is checked: {@code insecure}, {@code containerPolicy}, or
 *     {@code ostreeRemote:<name>}; absent when bootc does not say
 */
public record BootcImageReference(
    String image, ImageTransport transport, Optional<String> signature) {

  /** Validates the fields. */
  public BootcImageReference {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(signature, "signature");
  }
}
