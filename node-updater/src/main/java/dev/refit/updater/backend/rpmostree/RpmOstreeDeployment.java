package dev.refit.updater.backend.rpmostree;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One deployment from {@code rpm-ostree status --json}.
 *
 * @param id rpm-ostree's deployment id, {@code <osname>-<checksum>.<serial>}
 * @param osname the stateroot, e.g. {@code fedora-coreos}, {@code rhcos}, {@code default}
 * @param checksum the deployed commit (includes layered packages, if any)
 * @param baseChecksum the base commit under layered packages; absent when nothing is layered
 * @param version the OS version, e.g. {@code 41.20250105.2.0}; absent on some RHCOS builds
 * @param origin the ostree refspec for commit-based deployments, e.g. {@code
 *     fedora:fedora/x86_64/coreos/stable}
 * @param image the container image for image-based deployments, transport prefix split off
 * @param imageDigest the image's manifest digest ({@code container-image-reference-digest})
 * @param booted whether this is the running deployment
 * @param staged whether this deployment is staged (finalized at shutdown)
 * @param pinned whether it is pinned against cleanup
 * @param finalizationLocked {@code finalization-locked}: rpm-ostree prints it only while the legacy
 *     /run/ostree/staged-deployment-locked file exists; since 2024.6 rpm-ostree locks through
 *     ostree's staging metadata instead, which status does not show, so {@code false} does not mean
 *     unlocked
 * @param timestamp the commit time
 * @param role its part in the boot order
 */
public record RpmOstreeDeployment(
    String id,
    String osname,
    String checksum,
    Optional<String> baseChecksum,
    Optional<String> version,
    Optional<String> origin,
    Optional<OstreeImageReference> image,
    Optional<String> imageDigest,
    boolean booted,
    boolean staged,
    boolean pinned,
    boolean finalizationLocked,
    Optional<Instant> timestamp,
    DeploymentRole role) {

  /** Validates the fields. */
  public RpmOstreeDeployment {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(osname, "osname");
    Objects.requireNonNull(checksum, "checksum");
    Objects.requireNonNull(baseChecksum, "baseChecksum");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(imageDigest, "imageDigest");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(role, "role");
  }

  /** The same deployment with another role (the parser assigns roles once all are read). */
  RpmOstreeDeployment withRole(DeploymentRole newRole) {
    return new RpmOstreeDeployment(
        id,
        osname,
        checksum,
        baseChecksum,
        version,
        origin,
        image,
        imageDigest,
        booted,
        staged,
        pinned,
        finalizationLocked,
        timestamp,
        newRole);
  }
}
