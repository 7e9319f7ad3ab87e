package dev.refit.updater.backend.rpmostree;

import dev.refit.updater.agent.HostRefusal;
import dev.refit.updater.backend.CommandBackend;
import dev.refit.updater.backend.SystemdUnits;
import dev.refit.updater.host.CommandResult;
import dev.refit.updater.host.HostException;
import java.util.List;
import java.util.Optional;

/**
 * What else on an rpm-ostree host would update or reboot it on its own: a registered update driver
 * (Zincati) whose unit runs or starts at boot, and OpenShift's Machine Config Daemon.
 */
final class RpmOstreeRefusals {

  static final String DRIVER_REASON = "UpdateDriverConflict";
  static final String MCO_REASON = "ManagedByMachineConfigOperator";
  static final List<String> MCD_DIRECTORY = List.of("test", "-d", "/etc/machine-config-daemon");

  private final CommandBackend host;

  RpmOstreeRefusals(CommandBackend host) {
    this.host = host;
  }

  /**
   * A registered driver is a conflict while its unit runs or will run at the next boot. The
   * registration lives in /run/rpm-ostree/update-driver.gv until the next boot, and rpm-ostree's
   * own clients ignore a driver whose unit is not active: a stopped and disabled Zincati is none.
   */
  Optional<HostRefusal> driverConflict(RpmOstreeStatus.UpdateDriver driver) throws HostException {
    String unit = driver.systemdUnit();
    SystemdUnits units = new SystemdUnits(host);
    String active = units.active(unit);
    String state =
        SystemdUnits.RUNNING.contains(active)
            ? active
            : units.startsAtBoot(unit) ? units.enabled(unit) : null;
    if (state == null) {
      return Optional.empty();
    }
    return Optional.of(
        new HostRefusal(
            DRIVER_REASON,
            String.format(
                "%s (%s) is registered as this host's update driver (rpm-ostree status --json)"
                    + " and %s is %s: it would update and reboot the node on its own; disable it"
                    + " (systemctl disable --now %s)",
                driver.name(), unit, unit, state, unit)));
  }

  /**
   * The Machine Config Daemon keeps its state in /etc/machine-config-daemon on every node the
   * Machine Config Operator manages; it drives rpm-ostree without registering as a driver and marks
   * the node Degraded when the booted image is not the one it expects.
   */
  List<HostRefusal> machineConfigDaemon() throws HostException {
    CommandResult found = host.execute(MCD_DIRECTORY, CommandBackend.STATUS_TIMEOUT);
    if (found.exitCode() == 1) {
      return List.of();
    }
    RpmOstreeBackend.require(found);
    return List.of(
        new HostRefusal(
            MCO_REASON,
            "the OpenShift Machine Config Operator manages this node (/etc/machine-config-daemon"
                + " exists): its machine-config-daemon drives rpm-ostree itself and marks the node"
                + " Degraded when the OS image changes under it. RHCOS under OpenShift is updated"
                + " by the Machine Config Operator (oc adm upgrade); remove this node from"
                + " Refit's policies"));
  }
}
