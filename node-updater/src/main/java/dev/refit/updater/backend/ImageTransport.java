package dev.refit.updater.backend;

import java.util.Optional;

/**
 * Where a container image is fetched from, in the containers-image transport vocabulary shared by
 * ostree-container (rpm-ostree) and bootc. {@code docker://} is the same as {@code registry}.
 */
public enum ImageTransport {
  /** A container registry ({@code registry:} or {@code docker://}). */
  REGISTRY("registry"),
  /** An OCI layout directory ({@code oci:}). */
  OCI("oci"),
  /** An OCI archive file ({@code oci-archive:}). */
  OCI_ARCHIVE("oci-archive"),
  /** A docker-save archive ({@code docker-archive:}). */
  DOCKER_ARCHIVE("docker-archive"),
  /** Local podman/containers storage ({@code containers-storage:}). */
  CONTAINERS_STORAGE("containers-storage"),
  /** A plain directory ({@code dir:}). */
  DIR("dir"),
  /**
   * An image held by the local Docker daemon ({@code docker-daemon:}); bootc accepts it for {@code
   * bootc switch --transport docker-daemon} (bootc-dev/bootc#1776) and prints it back in status.
   */
  DOCKER_DAEMON("docker-daemon");

  private final String wireName;

  ImageTransport(String wireName) {
    this.wireName = wireName;
  }

  /** The name the tools print, e.g. {@code registry}. */
  public String wireName() {
    return wireName;
  }

  /** Looks a transport up by its printed name; {@code docker} means registry. */
  public static Optional<ImageTransport> fromWireName(String name) {
    if ("docker".equals(name)) {
      return Optional.of(REGISTRY);
    }
    for (ImageTransport t : values()) {
      if (t.wireName.equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
