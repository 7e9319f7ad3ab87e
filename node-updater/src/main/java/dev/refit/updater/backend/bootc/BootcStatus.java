package dev.refit.updater.backend.bootc;

import dev.refit.updater.host.HostOutputException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code bootc status} reports about an image-mode host.
 *
 * @param apiVersion {@code org.containers.bootc/v1alpha1} or {@code org.containers.bootc/v1}
 * @param specImage the image the host is set to follow ({@code spec.image}); absent if none
 * @param staged the staged deployment, if any: the next boot uses it unless it is download-only
 *     ({@link BootcEntry#downloadOnly()}), which shutdown discards until it is unlocked
 * @param booted the running deployment
 * @param rollback the deployment a rollback would boot
 * @param rollbackQueued whether a rollback is queued for the next boot
 * @param otherDeployments further deployments (e.g. pinned ones), newer bootc only
 * @param type {@code bootcHost} on a bootc host; absent when bootc does not manage it
 */
public record BootcStatus(
    String apiVersion,
    Optional<BootcImageReference> specImage,
    Optional<BootcEntry> staged,
    Optional<BootcEntry> booted,
    Optional<BootcEntry> rollback,
    boolean rollbackQueued,
    List<BootcEntry> otherDeployments,
    Optional<String> type) {

  /** Validates and copies the fields. */
  public BootcStatus {
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(specImage, "specImage");
    Objects.requireNonNull(staged, "staged");
    Objects.requireNonNull(booted, "booted");
    Objects.requireNonNull(rollback, "rollback");
    otherDeployments = List.copyOf(otherDeployments);
    Objects.requireNonNull(type, "type");
  }

  /**
   * Whether bootc sees any deployment at all. bootc prints an all-null status (booted, staged and
   * rollback all null) on a host it does not manage, e.g. inside a container or on a package-mode
   * system.
   */
  public boolean isBootcHost() {
    return booted.isPresent() || staged.isPresent() || rollback.isPresent();
  }

  /** The booted image, if the booted deployment came from one (not from a plain ostree commit). */
  public Optional<BootcImage> bootedImage() {
    return booted.flatMap(BootcEntry::image);
  }

  /** The staged image, if an image is staged. */
  public Optional<BootcImage> stagedImage() {
    return staged.flatMap(BootcEntry::image);
  }

  /** The booted image, or a clear error when the host is not booted from a bootc image. */
  public BootcImage requireBootedImage() throws HostOutputException {
    return bootedImage()
        .orElseThrow(
            () ->
                new HostOutputException(
                    BootcStatusParser.COMMAND_LINE,
                    "a booted deployment with an image (a host managed by bootc)",
                    booted.isPresent()
                        ? "status.booted.image: null (booted from a plain ostree commit)"
                        : "status.booted: null (not a bootc host)"));
  }
}
