package dev.refit.updater.backend.bootc;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A container image as deployed (or cached) by bootc.
 *
 * @param reference what was pulled, and from where
 * @param version the image's version label, e.g. {@code stream9.20240807.0}
 * @param timestamp the image creation time, if the image records one
 * @param digest the manifest digest ({@code imageDigest}), e.g. {@code sha256:47e5…}
 * @param architecture e.g. {@code amd64}, {@code arm64}; absent in older bootc
 */
public record BootcImage(
    BootcImageReference reference,
    Optional<String> version,
    Optional<Instant> timestamp,
    String digest,
    Optional<String> architecture) {

  /** Validates the fields. */
  public BootcImage {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(architecture, "architecture");
  }
}
