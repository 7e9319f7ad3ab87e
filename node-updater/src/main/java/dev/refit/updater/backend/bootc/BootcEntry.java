package dev.refit.updater.backend.bootc;

import java.util.Objects;
import java.util.Optional;

/**
 * One boot entry of {@code bootc status}: the staged, booted, or rollback deployment.
 *
 * @param image the image deployed; absent for a deployment made from a plain ostree commit
 * @param cachedUpdate an update already downloaded for this entry but not yet staged
 * @param incompatible whether local changes (e.g. layered packages) stop bootc from managing it
 * @param pinned whether it is pinned against garbage collection
 * @param downloadOnly whether this staged deployment is locked against finalization ({@code bootc
 *     upgrade --download-only}): the next boot does not use it, it is discarded at shutdown, until
 *     {@code bootc upgrade --from-downloaded} (or a plain {@code bootc upgrade}) unlocks it. bootc
 *     prints {@code downloadOnly}; the first form of the feature printed {@code finalizationLocked}
 * @param store the storage backend, e.g. {@code ostreeContainer}
 * @param ostreeChecksum the ostree commit backing the deployment
 * @param stateroot the ostree stateroot (osname)
 */
public record BootcEntry(
    Optional<BootcImage> image,
    Optional<BootcImage> cachedUpdate,
    boolean incompatible,
    boolean pinned,
    boolean downloadOnly,
    Optional<String> store,
    Optional<String> ostreeChecksum,
    Optional<String> stateroot) {

  /** Validates the fields. */
  public BootcEntry {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(cachedUpdate, "cachedUpdate");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(ostreeChecksum, "ostreeChecksum");
    Objects.requireNonNull(stateroot, "stateroot");
  }
}
