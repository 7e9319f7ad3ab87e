package dev.refit.updater.hostmodel;

import dev.refit.updater.Fixtures;
import dev.refit.updater.host.CommandResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A Bottlerocket host: a disk with two partition sets ({@link BottlerocketDisk}), the update API
 * ({@link BottlerocketUpdateDispatcher}: thar-be-updates forking a child that holds the update lock
 * until its updog command is done, its status on tmpfs), the settings datastore with the files the
 * settings applier renders from it a moment later, and an update repository whose offer the test
 * decides. Time is the test's clock: background work is done once the clock passes its end.
 *
 * <p>Sources, bottlerocket-core-kit unless named: {@code sources/api/apiserver/src/server/{mod,
 * error,controller}.rs} (423 when the lock is held, for actions and for status reads; 409; 404
 * before the first command of a boot; the reboot action runs {@code systemctl reboot
 * --check-inhibitors=yes} and answers 500 when it fails; settings committed at once and rendered by
 * {@code thar-be-settings --daemon}), {@code sources/api/apiclient/src/{main,lib}.rs} (the error
 * line, exit 1), bottlerocket {@code packages/os/updog-toml} at 2b3682c and {@code
 * packages/os/thar-be-updates-toml} at 061be84 (the rendered files), bottlerocket {@code
 * sources/api/thar-be-updates/src/main.rs} at c1312ec (older hosts: the lock read through the API).
 */
public final class BottlerocketHost extends SimulatedHost {

  private static final String ARCH = "x86_64";

  private final Clock clock;
  private final String variant;
  private final BottlerocketDisk disk;
  private final BottlerocketUpdateDispatcher updates;
  private final Set<String> failsToBoot = new HashSet<>();
  private final Map<String, String> nodeLabels = new TreeMap<>();
  private String versionLock = "latest";
  private boolean ignoreWaves;
  private String renderedLock = "latest";
  private boolean renderedWaves;
  private Instant renderAt;
  private boolean tharBeUpdatesToml = true;
  private String inhibitor;

  /** A host of {@code variant} booted from set A with {@code booted}; set B never written. */
  public BottlerocketHost(Clock clock, String variant, String booted) {
    this.clock = clock;
    this.variant = variant;
    this.disk = new BottlerocketDisk(booted);
    this.updates =
        new BottlerocketUpdateDispatcher(
            clock,
            disk,
            new BottlerocketUpdateDispatcher.Settings() {
              @Override
              public String renderedLock() {
                return renderedLock;
              }

              @Override
              public boolean renderedWaves() {
                return renderedWaves;
              }

              @Override
              public String chooserLock() {
                return tharBeUpdatesToml ? renderedLock : versionLock;
              }
            });
  }

  /** The versions the update repository lists for this variant, any order. */
  public BottlerocketHost publishing(String... versions) {
    updates.published.addAll(List.of(versions));
    updates.published.sort((a, b) -> BottlerocketUpdateDispatcher.compare(b, a));
    return this;
  }

  /** A version whose wave has not reached this host: listed only with ignore-waves. */
  public BottlerocketHost inLaterWave(String version) {
    updates.laterWave.add(version);
    return this;
  }

  /** The next refresh fails (updog whats exits 1 with this stderr); later ones work. */
  public BottlerocketHost refreshFailsOnce(String stderr) {
    updates.refreshFailure = stderr;
    return this;
  }

  /** The next prepare fails (updog update-image exits 1 with this stderr); later ones work. */
  public BottlerocketHost prepareFailsOnce(String stderr) {
    updates.prepareFailure = stderr;
    return this;
  }

  /** A shutdown inhibitor: {@code systemctl reboot --check-inhibitors=yes} fails with this. */
  public BottlerocketHost rebootInhibitedBy(String systemctlStderr) {
    inhibitor = systemctlStderr;
    return this;
  }

  /** An image that does not come up: its boot fails and the bootloader falls back. */
  public BottlerocketHost failsToBoot(String version) {
    failsToBoot.add(version);
    return this;
  }

  /** A Kubernetes node label in the host's settings (settings.kubernetes.node-labels). */
  public BottlerocketHost nodeLabel(String key, String value) {
    nodeLabels.put(key, value);
    return this;
  }

  /** An older host whose thar-be-updates reads the version lock through the API, not a file. */
  public BottlerocketHost withoutTharBeUpdatesToml() {
    tharBeUpdatesToml = false;
    return this;
  }

  /** The version running now. */
  public synchronized String running() {
    return disk.running();
  }

  /** The version the next boot runs, whoever causes it. */
  public synchronized String nextBoot() {
    settle();
    return disk.nextBoot();
  }

  /** The update API's state, null before the first update command of this boot. */
  public synchronized String updateState() {
    settle();
    return updates.status() == null ? null : updates.status().state;
  }

  @Override
  protected synchronized CommandResult handle(List<String> argv) {
    settle();
    String line = String.join(" ", argv);
    switch (line) {
      case "cat /etc/os-release":
        return ok(argv, osRelease());
      case "cat /etc/updog.toml":
        return ok(argv, updogToml());
      case "cat /etc/thar-be-updates.toml":
        return tharBeUpdatesToml
            ? ok(argv, "version-lock = \"" + renderedLock + "\"\n")
            : exit(argv, 1, "", "cat: /etc/thar-be-updates.toml: No such file or directory\n");
      case "sestatus":
        return ok(argv, Fixtures.read("sestatus-bottlerocket-fortified.txt"));
      case "signpost status":
        return ok(argv, disk.status());
      case "signpost rollback-to-inactive":
        String error = disk.rollbackToInactive();
        return error == null ? ok(argv, "") : exit(argv, 1, "", error + "\n");
      case "signpost cancel-upgrade":
        disk.cancelUpgrade();
        return ok(argv, "");
      case "apiclient raw -u /updates/status":
        return statusRead(argv);
      case "apiclient raw -u /settings?prefix=kubernetes.node-labels":
        return ok(argv, labelsJson() + "\n");
      default:
        break;
    }
    if (argv.size() > 2 && argv.get(0).equals("apiclient") && argv.get(1).equals("set")) {
      return set(argv);
    }
    if (argv.size() == 6 && line.startsWith("apiclient raw -u /actions/")) {
      return action(argv, argv.get(3));
    }
    return unknown(argv);
  }

  /**
   * Background work ends once the clock passes its end: the update API's child, the settings
   * applier. Once a reboot is asked the shutdown stops every process: nothing finishes any more.
   */
  private void settle() {
    if (rebootAsked().isPresent()) {
      return;
    }
    updates.settle();
    if (renderAt != null && !clock.instant().isBefore(renderAt)) {
      render();
    }
  }

  private void render() {
    renderedLock = versionLock;
    renderedWaves = ignoreWaves;
    renderAt = null;
  }

  private CommandResult statusRead(List<String> argv) {
    String uri = "/updates/status";
    if (updates.locked()) {
      return apiError(
          argv,
          "GET",
          uri,
          "423:Unable to obtain shared lock for reading update status: Resource temporarily"
              + " unavailable (os error 11)");
    }
    if (updates.status() == null) {
      return apiError(
          argv, "GET", uri, "404:Update status is uninitialized, refresh-updates to initialize it");
    }
    return ok(argv, updates.status().json(ARCH, variant) + "\n");
  }

  private CommandResult action(List<String> argv, String uri) {
    if (uri.equals("/actions/reboot")) {
      return inhibitor == null
          ? askReboot(argv, "apiserver: systemctl reboot --check-inhibitors=yes")
          : apiError(argv, "POST", uri, "500:Failed to reboot, exit code: 1, stderr: " + inhibitor);
    }
    String command =
        switch (uri) {
          case "/actions/refresh-updates" -> "refresh";
          case "/actions/prepare-update" -> "prepare";
          case "/actions/activate-update" -> "activate";
          case "/actions/deactivate-update" -> "deactivate";
          default -> null;
        };
    if (command == null) {
      return apiError(argv, "POST", uri, "404:");
    }
    String refusal = updates.dispatch(command);
    return refusal == null ? ok(argv, "") : apiError(argv, "POST", uri, refusal);
  }

  /** apiclient set: committed at once; the settings applier renders the files a moment later. */
  private CommandResult set(List<String> argv) {
    for (String pair : argv.subList(2, argv.size())) {
      int eq = pair.indexOf('=');
      String key = pair.substring(0, eq).replaceFirst("^settings\\.", "");
      String value = pair.substring(eq + 1).replace("\"", "");
      if (key.equals("updates.version-lock")) {
        versionLock = value;
      } else if (key.equals("updates.ignore-waves")) {
        ignoreWaves = Boolean.parseBoolean(value);
      } else if (key.startsWith("kubernetes.node-labels.")) {
        nodeLabels.put(key.substring("kubernetes.node-labels.".length()).replace("\"", ""), value);
      } else {
        return exit(argv, 1, "", "model: setting " + key + " is not modelled\n");
      }
    }
    renderAt = clock.instant().plus(Duration.ofSeconds(3));
    return ok(argv, "");
  }

  @Override
  protected void onBoot() {
    updates.boot();
    disk.boot(failsToBoot);
    render(); // /etc is a tmpfs rebuilt from the settings at every boot
  }

  private String osRelease() {
    String v = disk.running();
    return "NAME=Bottlerocket\nID=bottlerocket\nVERSION=\"%s (%s)\"\nPRETTY_NAME=\"Bottlerocket OS %s (%s)\"\nVARIANT_ID=%s\nVERSION_ID=%s\nBUILD_ID=0a1b2c3d\n"
        .formatted(v, variant, v, variant, variant, v);
  }

  private String updogToml() {
    return ("metadata_base_url = \"https://updates.bottlerocket.aws/2020-07-07/%s/%s/\"\n"
            + "targets_base_url = \"https://updates.bottlerocket.aws/targets/\"\nseed = 1625\n"
            + "version_lock = \"%s\"\nignore_waves = %s\n")
        .formatted(variant, ARCH, renderedLock, renderedWaves);
  }

  private String labelsJson() {
    StringBuilder labels = new StringBuilder();
    nodeLabels.forEach(
        (k, v) ->
            labels.append(labels.length() == 0 ? "" : ",").append("\"%s\":\"%s\"".formatted(k, v)));
    return nodeLabels.isEmpty() ? "{}" : "{\"kubernetes\":{\"node-labels\":{" + labels + "}}}";
  }

  /** apiclient's error line for an HTTP error ({@code status:body}), exit status 1. */
  private static CommandResult apiError(
      List<String> argv, String method, String uri, String statusAndBody) {
    int colon = statusAndBody.indexOf(':');
    return exit(
        argv,
        1,
        "",
        "Failed %s request to '%s': Status %s when %sing %s: %s\n"
            .formatted(
                method,
                uri,
                statusAndBody.substring(0, colon),
                method,
                uri,
                statusAndBody.substring(colon + 1)));
  }
}
