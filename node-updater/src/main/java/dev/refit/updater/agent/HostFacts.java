package dev.refit.updater.agent;

import dev.refit.api.HostDeployment;
import dev.refit.api.OSFamily;
import dev.refit.updater.selinux.SelinuxFacts;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the host is at one moment, read from its tools: the core decides on these facts alone.
 *
 * @param family the OS family detected from /etc/os-release
 * @param booted the running deployment
 * @param staged the deployment the next boot will use, if another one is staged
 * @param rollback the deployment a rollback would boot, if any
 * @param bootId the host's boot ID (/proc/sys/kernel/random/boot_id)
 * @param selinux the SELinux facts
 * @param rebootRequest the reboot the agent requested during this boot, if any (kept under /run,
 *     which every boot starts empty, so it can never be mistaken for a request of an earlier boot)
 * @param refusals what on the host makes an update unsafe until a person changes it; empty when the
 *     host is eligible
 */
public record HostFacts(
    OSFamily family,
    HostDeployment booted,
    Optional<HostDeployment> staged,
    Optional<HostDeployment> rollback,
    String bootId,
    SelinuxFacts selinux,
    Optional<RebootRequest> rebootRequest,
    List<HostRefusal> refusals) {

  /** Facts of an eligible host (nothing refused). */
  public HostFacts(
      OSFamily family,
      HostDeployment booted,
      Optional<HostDeployment> staged,
      Optional<HostDeployment> rollback,
      String bootId,
      SelinuxFacts selinux,
      Optional<RebootRequest> rebootRequest) {
    this(family, booted, staged, rollback, bootId, selinux, rebootRequest, List.of());
  }

  /** Validates and copies the fields. */
  public HostFacts {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(booted, "booted");
    Objects.requireNonNull(staged, "staged");
    Objects.requireNonNull(rollback, "rollback");
    Objects.requireNonNull(bootId, "bootId");
    Objects.requireNonNull(selinux, "selinux");
    Objects.requireNonNull(rebootRequest, "rebootRequest");
    refusals = List.copyOf(refusals);
  }

  /** The same facts with these refusals (and no others). */
  public HostFacts withRefusals(List<HostRefusal> found) {
    return new HostFacts(family, booted, staged, rollback, bootId, selinux, rebootRequest, found);
  }

  /** Whether the host meets Refit's preconditions. */
  public boolean eligible() {
    return refusals.isEmpty();
  }

  /** Whether the OS itself has a change waiting for the next boot. */
  public boolean osRebootPending() {
    return staged.isPresent() && !staged.get().equals(booted);
  }
}
