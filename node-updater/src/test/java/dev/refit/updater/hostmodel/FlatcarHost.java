package dev.refit.updater.hostmodel;

import dev.refit.updater.Fixtures;
import dev.refit.updater.host.CommandResult;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Flatcar host: two USR partitions, update_engine, locksmithd, and an update server whose offer
 * the test decides. Background work (a check, a download) advances one step each time {@code
 * update_engine_client -status} is read, standing in for the time between two polls.
 *
 * <p>Sources (flatcar/update_engine unless named): {@code update_engine_client.cc} (flags, the
 * status block printed on stdout and the glog line on stderr), {@code update_attempter.cc} (the
 * status machine, the version kept in memory, the completion marker), {@code flatcar-postinst} (the
 * new partition made next), {@code systemd/update-engine.service}; flatcar/locksmith {@code
 * locksmithctl/daemon.go} and {@code systemd/locksmithd.service}; flatcar/scripts {@code
 * build_library/set_lsb_release} (the default update.conf).
 */
public final class FlatcarHost extends SimulatedHost {

  public static final String LOCKSMITHD = "locksmithd.service";
  private static final String ETC_CONF = "/etc/flatcar/update.conf";

  private final String[] usr = new String[2];
  private int active;
  private int next;

  private String status = "IDLE";
  private String newVersion = "0.0.0";
  private long lastChecked;
  private double progress;
  private int downloadLeft;
  private boolean completedMarker;

  private String offered;
  private boolean serverAnswers = true;
  private int downloadSteps = 3;
  private long now = 1_762_074_855L;

  private String etcConf;
  private String locksmithdStartedWith;
  private final Set<String> processes = new TreeSet<>();

  /**
   * A stock host booted from USR-A with {@code booted}: no /etc/flatcar/update.conf
   * (flatcar/scripts PR 212 stopped shipping it) and locksmithd enabled and running with its
   * default strategy.
   */
  public FlatcarHost(String booted) {
    usr[0] = booted;
    usr[1] = booted;
    unit(LOCKSMITHD, true, false);
    startLocksmithd();
  }

  /** The version the update server offers to this host's group; null offers nothing. */
  public FlatcarHost offering(String version) {
    offered = version;
    return this;
  }

  /** Whether the update server answers at all (false: a network failure). */
  public FlatcarHost serverAnswers(boolean answers) {
    serverAnswers = answers;
    return this;
  }

  /** The content of /etc/flatcar/update.conf; null removes it. */
  public FlatcarHost etcUpdateConf(String content) {
    etcConf = content;
    return this;
  }

  /** A process running on the node, as a DaemonSet's container would (FLUO, kured). */
  public FlatcarHost running(String process) {
    processes.add(process);
    return this;
  }

  /** The process is gone (its DaemonSet no longer covers the node). */
  public FlatcarHost stopped(String process) {
    processes.remove(process);
    return this;
  }

  /**
   * {@code systemctl restart locksmithd}: it reads REBOOT_STRATEGY when it starts, exits at once
   * with {@code off}, and reboots at once if an update is already installed (daemon.go).
   */
  public void startLocksmithd() {
    String strategy = strategy();
    boolean runs = !strategy.equals("off");
    unit(LOCKSMITHD, unit(LOCKSMITHD).enabled(), runs);
    locksmithdStartedWith = runs ? strategy : null;
    locksmithdReboots();
  }

  /** {@code systemctl disable --now locksmithd}. */
  public void disableLocksmithd() {
    unit(LOCKSMITHD, false, false);
    locksmithdStartedWith = null;
  }

  /**
   * update_engine restarts (a crash; {@code update-engine.service} has {@code Restart=always}): the
   * {@code UpdateAttempter} constructor keeps nothing but what the completion marker in /run says,
   * so an installed update shows as needing a reboot with version 0.0.0.
   */
  public void restartUpdateEngine() {
    status = completedMarker ? "UPDATED_NEED_REBOOT" : "IDLE";
    newVersion = "0.0.0";
    lastChecked = 0;
    progress = 0;
  }

  /**
   * update_engine's own periodic check (about 10 minutes after boot, then hourly, per Flatcar's
   * update-strategies doc); like {@code CheckForUpdate} it does nothing unless idle.
   */
  public void automaticCheck() {
    if (status.equals("IDLE")) {
      status = "CHECKING_FOR_UPDATE";
    }
  }

  /** The version the host runs. */
  public String booted() {
    return usr[active];
  }

  /** What update_engine's status says now, e.g. {@code UPDATE_STATUS_IDLE}. */
  public String currentOperation() {
    return "UPDATE_STATUS_" + status;
  }

  @Override
  protected CommandResult handle(List<String> argv) {
    now++;
    String line = String.join(" ", argv);
    return switch (line) {
      case "cat /etc/os-release" -> ok(argv, osRelease());
      case "cat /usr/share/flatcar/update.conf" ->
          ok(argv, Fixtures.read("flatcar-usr-share-update-conf-refit-stable.txt"));
      case "cat " + ETC_CONF ->
          etcConf != null
              ? ok(argv, etcConf)
              : exit(argv, 1, "", "cat: " + ETC_CONF + ": No such file or directory\n");
      case "update_engine_client -status" -> {
        advance();
        yield exit(argv, 0, statusBlock(), glog(241, "Querying Update Engine status..."));
      }
      case "update_engine_client -check_for_update" -> {
        // CheckForUpdate: skipped unless idle.
        automaticCheck();
        yield exit(argv, 0, "", glog(251, "Initiating update check and install."));
      }
      default -> pgrep(argv);
    };
  }

  private CommandResult pgrep(List<String> argv) {
    if (argv.size() == 3 && argv.get(0).equals("pgrep") && argv.get(1).equals("-x")) {
      return processes.contains(argv.get(2))
          ? ok(argv, (4000 + argv.get(2).length()) + "\n")
          : exit(argv, 1, "", "");
    }
    return unknown(argv);
  }

  /**
   * One step of update_engine's background work, as {@code update_attempter.cc} moves it: the
   * server's answer ({@code ActionCompleted}: time set on any answer, version from the manifest),
   * the download, {@code FINALIZING}, then {@code ProcessingDone}; a failed check is reported
   * ({@code REPORTING_ERROR_EVENT}) and ends idle with the version reset.
   */
  private void advance() {
    switch (status) {
      case "CHECKING_FOR_UPDATE" -> {
        if (!serverAnswers) {
          status = "REPORTING_ERROR_EVENT";
        } else {
          // A successful update-check sets the time, whether or not it offers anything.
          lastChecked = now;
          // The server's answer decides; it offers nothing the host already runs.
          boolean update = offered != null && !offered.equals(booted());
          status = update ? "UPDATE_AVAILABLE" : "IDLE";
          newVersion = update ? offered : newVersion;
        }
      }
      case "UPDATE_AVAILABLE" -> {
        status = "DOWNLOADING";
        downloadLeft = downloadSteps;
      }
      case "DOWNLOADING" -> {
        progress = 1.0 - (double) --downloadLeft / downloadSteps;
        if (downloadLeft == 0) {
          progress = 0;
          status = "FINALIZING";
        }
      }
      case "FINALIZING" -> install();
      case "REPORTING_ERROR_EVENT" -> {
        status = "IDLE";
        newVersion = "0.0.0";
      }
      default -> {}
    }
  }

  /**
   * {@code flatcar-postinst}: the other USR partition gets the new version and the highest priority
   * ({@code cgpt prioritize}); {@code ProcessingDone} writes the marker and the status.
   */
  private void install() {
    int other = 1 - active;
    usr[other] = newVersion;
    next = other;
    completedMarker = true;
    status = "UPDATED_NEED_REBOOT";
    locksmithdReboots();
  }

  /**
   * locksmithd ({@code daemon.go}), if it runs, reboots as soon as update_engine needs a reboot:
   * the model stands for {@code reboot} (no lock, no window, no login delay).
   */
  private void locksmithdReboots() {
    if (locksmithdStartedWith != null
        && unit(LOCKSMITHD).active()
        && status.equals("UPDATED_NEED_REBOOT")) {
      askReboot(
          List.of("locksmithd"), "locksmithd (REBOOT_STRATEGY=" + locksmithdStartedWith + ")");
    }
  }

  /**
   * The strategy systemd hands locksmithd ({@code locksmithd.service} EnvironmentFiles; the default
   * file has none): the last assignment in /etc/flatcar/update.conf, none meaning reboot.
   */
  private String strategy() {
    String value = "";
    for (String line : (etcConf == null ? "" : etcConf).split("\n")) {
      if (line.startsWith("REBOOT_STRATEGY=")) {
        value = line.substring("REBOOT_STRATEGY=".length()).replace("\"", "");
      }
    }
    return value.isEmpty() ? "reboot" : value;
  }

  @Override
  protected void onBoot() {
    // GRUB boots the prioritized partition; /run is empty again, so is update_engine's memory.
    active = next;
    completedMarker = false;
    restartUpdateEngine();
    if (unit(LOCKSMITHD).enabled()) {
      startLocksmithd();
    }
  }

  private String statusBlock() {
    return String.format(
        Locale.ROOT,
        "LAST_CHECKED_TIME=%d\nPROGRESS=%f\nCURRENT_OP=%s\nNEW_VERSION=%s\nNEW_SIZE=%d\n",
        lastChecked,
        progress,
        currentOperation(),
        newVersion,
        newVersion.equals("0.0.0") ? 0 : 483_921_637L);
  }

  private static String glog(int line, String message) {
    return "I20251102 09:14:03.512207 3120 update_engine_client.cc:" + line + "] " + message + "\n";
  }

  private String osRelease() {
    return Fixtures.read("os-release-flatcar-3510.3.5-lts.txt").replace("3510.3.5", booted());
  }
}
