package dev.refit.api;

/** The container-OS families Refit can update, each with its own update tool. */
public enum OSFamily {
  /** Fedora CoreOS, updated with rpm-ostree. */
  FedoraCoreOS,
  /** Red Hat Enterprise Linux CoreOS (OpenShift nodes), updated with rpm-ostree. */
  RHCOS,
  /** CentOS Stream CoreOS, updated with rpm-ostree. */
  CentOSStreamCoreOS,
  /** An image-mode host managed by bootc. */
  Bootc,
  /** Bottlerocket, updated through its update API (apiclient). */
  Bottlerocket,
  /** Flatcar Container Linux, updated by update_engine. */
  Flatcar;

  /** Whether the family is updated by switching to a container image rather than a version. */
  public boolean acceptsImage() {
    return this != Bottlerocket && this != Flatcar;
  }
}
