package dev.refit.api;

/**
 * The container-OS families Refit can update, each with its own update tool, and the traits both
 * programs decide on. Each trait is declared here once: the operator's admission rules (CEL on
 * {@link OSTarget} and {@link OSUpdatePolicySpec}), the node-updater's backends and its fake host
 * agree with it, and tests on both sides fail when they drift apart.
 */
public enum OSFamily {
  /** Fedora CoreOS, updated with rpm-ostree. */
  FedoraCoreOS(Targets.IMAGE_OR_VERSION, Selinux.CONFIGURABLE, Rollback.SUPPORTED),
  /** Red Hat Enterprise Linux CoreOS (OpenShift nodes), updated with rpm-ostree. */
  RHCOS(Targets.IMAGE_OR_VERSION, Selinux.CONFIGURABLE, Rollback.SUPPORTED),
  /** CentOS Stream CoreOS, updated with rpm-ostree. */
  CentOSStreamCoreOS(Targets.IMAGE_OR_VERSION, Selinux.CONFIGURABLE, Rollback.SUPPORTED),
  /** An image-mode host managed by bootc: it switches to images, it has no release versions. */
  Bootc(Targets.IMAGE, Selinux.CONFIGURABLE, Rollback.SUPPORTED),
  /**
   * Bottlerocket, updated through its update API (apiclient) by release version. Its SELinux policy
   * is fixed and always enforcing.
   */
  Bottlerocket(Targets.VERSION, Selinux.FIXED, Rollback.SUPPORTED),
  /**
   * Flatcar Container Linux, updated by update_engine by release version. update_engine offers no
   * rollback, so Refit does not automate one.
   */
  Flatcar(Targets.VERSION, Selinux.CONFIGURABLE, Rollback.UNSUPPORTED);

  /** The kinds of {@code os} target a family can be moved to. */
  private enum Targets {
    IMAGE,
    VERSION,
    IMAGE_OR_VERSION
  }

  /** Whether a policy's SELinux part (mode, booleans, modules) can be applied. */
  private enum Selinux {
    CONFIGURABLE,
    FIXED
  }

  /** Whether Refit can boot the previous deployment on request. */
  private enum Rollback {
    SUPPORTED,
    UNSUPPORTED
  }

  private final Targets targets;
  private final Selinux selinux;
  private final Rollback rollback;

  OSFamily(Targets targets, Selinux selinux, Rollback rollback) {
    this.targets = targets;
    this.selinux = selinux;
    this.rollback = rollback;
  }

  /** Whether the family is updated by switching to a container image ({@code os.image}). */
  public boolean acceptsImage() {
    return targets != Targets.VERSION;
  }

  /** Whether the family is updated to a release version ({@code os.version}). */
  public boolean acceptsVersion() {
    return targets != Targets.IMAGE;
  }

  /**
   * Whether a policy's SELinux mode, booleans and modules can be applied on the family's hosts
   * (where SELinux is enabled). False where the OS fixes its policy; the policy is then reported,
   * never applied.
   */
  public boolean selinuxConfigurable() {
    return selinux == Selinux.CONFIGURABLE;
  }

  /** Whether Refit can roll a host of this family back to its previous deployment. */
  public boolean rollbackSupported() {
    return rollback == Rollback.SUPPORTED;
  }
}
