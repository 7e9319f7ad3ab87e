package dev.refit.updater.backend.rpmostree;

import dev.refit.updater.host.HostOutputException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code rpm-ostree status --json} reports: the deployments in boot order, the transaction the
 * daemon is busy with (if any), and the registered update driver (e.g. Zincati).
 *
 * @param deployments every deployment, in the order rpm-ostree printed them (boot order)
 * @param transaction the running transaction; a busy daemon rejects new deploy/rebase calls
 * @param updateDriver the agent that registered itself as the host's update driver
 */
public record RpmOstreeStatus(
    List<RpmOstreeDeployment> deployments,
    Optional<Transaction> transaction,
    Optional<UpdateDriver> updateDriver) {

  /**
   * A transaction in progress, from rpm-ostree's D-Bus {@code ActiveTransaction} (sss) property.
   *
   * @param method the D-Bus method that started it, e.g. {@code Upgrade}, {@code Rebase}
   * @param sender the D-Bus name of the client that asked
   * @param path the transaction's object path
   */
  public record Transaction(String method, String sender, String path) {}

  /**
   * The registered update driver ({@code rpm-ostree deploy --register-driver}).
   *
   * @param name e.g. {@code Zincati}
   * @param systemdUnit e.g. {@code zincati.service}
   */
  public record UpdateDriver(String name, String systemdUnit) {}

  /** Validates and copies the fields. */
  public RpmOstreeStatus {
    deployments = List.copyOf(deployments);
    Objects.requireNonNull(transaction, "transaction");
    Objects.requireNonNull(updateDriver, "updateDriver");
  }

  /** The running deployment; absent only in trimmed or container-side output. */
  public Optional<RpmOstreeDeployment> booted() {
    return withRole(DeploymentRole.BOOTED);
  }

  /** The running deployment, or a clear error if rpm-ostree reported none. */
  public RpmOstreeDeployment requireBooted() throws HostOutputException {
    return booted()
        .orElseThrow(
            () ->
                new HostOutputException(
                    RpmOstreeStatusParser.COMMAND_LINE,
                    "a deployment with \"booted\": true",
                    deployments.size() + " deployments, none booted"));
  }

  /** The staged deployment that the next reboot will finalize and boot. */
  public Optional<RpmOstreeDeployment> staged() {
    return withRole(DeploymentRole.STAGED);
  }

  /** An unstaged deployment already queued ahead of the booted one. */
  public Optional<RpmOstreeDeployment> pending() {
    return withRole(DeploymentRole.PENDING);
  }

  /** The deployment a rollback would boot. */
  public Optional<RpmOstreeDeployment> rollback() {
    return withRole(DeploymentRole.ROLLBACK);
  }

  /** Whether the next boot will be something other than the booted deployment. */
  public boolean rebootPending() {
    return staged().isPresent() || pending().isPresent();
  }

  private Optional<RpmOstreeDeployment> withRole(DeploymentRole role) {
    return deployments.stream().filter(d -> d.role() == role).findFirst();
  }
}
