package dev.refit.updater.hostmodel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refit.updater.host.CommandResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Fedora CoreOS host whose rpm-ostree and ostree behave as their current sources do. Sources:
 * coreos/rpm-ostree {@code src/daemon/rpmostreed-transaction-types.cxx} (finalize, rollback,
 * cleanup), {@code rust/src/daemon.rs} (status), {@code src/daemon/rpmostreed-sysroot.cxx} (busy),
 * {@code src/app/rpmostree-clientlib.cxx} (update driver), ostreedev/ostree PR #3090 (finalization
 * lock in the staging metadata), coreos/zincati {@code src/update_agent/actor.rs} (driver
 * registration at start). Messages the sources print are reproduced; the rest are the model's own.
 */
public final class RpmOstreeHost extends SimulatedHost {

  static final String REF = "fedora:fedora/x86_64/coreos/stable";
  public static final String IMAGE = "quay.io/fedora/fedora-coreos";
  static final String IMAGE_REF = "ostree-image-signed:docker://" + IMAGE + ":stable";

  /** A published build: its version, ostree commit and (for images) manifest digest. */
  public record Build(String version, String commit, String digest) {
    public static Build of(String version) {
      return new Build(version, sha("commit " + version), "sha256:" + sha("manifest " + version));
    }
  }

  /** A deployment: where it came from (ostree ref or image reference), its build, its packages. */
  private record Dep(String origin, Build build, List<String> packages) {
    boolean image() {
      return origin.startsWith("ostree-");
    }

    String checksum() {
      return packages.isEmpty() ? build.commit() : sha("layered " + build.commit() + packages);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<String, Build> published = new LinkedHashMap<>();
  private final Map<String, Build> registry = new HashMap<>();
  private final List<Dep> deployments = new ArrayList<>();
  private Dep booted;
  private Dep staged;
  private boolean stagedLocked;
  private boolean legacyLockFile;
  private boolean finalizeByDigest = true;
  private boolean machineConfigDaemon;
  private boolean zincatiUpdates;
  private String driverUnit;
  private String transaction;
  private Duration transactionLeft = Duration.ZERO;

  private RpmOstreeHost(String origin, String version, List<String> packages) {
    publish(version);
    booted = new Dep(origin, published.get(version), packages);
    deployments.add(booted);
  }

  /** A host following the stable ostree ref, booted into {@code version}, with layered packages. */
  public static RpmOstreeHost followingRef(String version, String... packages) {
    return new RpmOstreeHost(REF, version, List.of(packages));
  }

  /** A host following the signed {@code :stable} image, booted into {@code version}. */
  public static RpmOstreeHost followingImage(String version) {
    return new RpmOstreeHost(IMAGE_REF, version, List.of());
  }

  /** A new build appears on the ref and the {@code :stable} tag (also pullable by digest). */
  public RpmOstreeHost publish(String version) {
    Build build = Build.of(version);
    published.put(version, build);
    registry.put(IMAGE + ":stable", build);
    registry.put(IMAGE + "@" + build.digest(), build);
    return this;
  }

  /** rpm-ostree before 2025.7: finalize-deployment compares with the base commit only. */
  public RpmOstreeHost before2025dot7() {
    finalizeByDigest = false;
    return this;
  }

  /** An OpenShift node: the Machine Config Daemon keeps /etc/machine-config-daemon. */
  public RpmOstreeHost machineConfigDaemon(boolean present) {
    machineConfigDaemon = present;
    return this;
  }

  /**
   * Zincati's unit, and whether its config enables updates: zincati's tick_initialize registers as
   * driver ({@code deploy --register-driver}) only then (zincati src/update_agent/actor.rs).
   */
  public RpmOstreeHost zincati(boolean enabled, boolean active, boolean updatesEnabled) {
    unit("zincati.service", enabled, active);
    zincatiUpdates = updatesEnabled;
    driverUnit = active && updatesEnabled ? "zincati.service" : driverUnit;
    return this;
  }

  /** Another client's transaction (e.g. {@code upgrade}) that ends after {@code lasts}. */
  public RpmOstreeHost otherClientTransaction(String title, Duration lasts) {
    transaction = title;
    transactionLeft = lasts;
    return this;
  }

  /** Time passes on the host: another client's transaction may end. */
  public synchronized void elapse(Duration d) {
    transactionLeft = transactionLeft.minus(d);
    if (transactionLeft.isNegative() || transactionLeft.isZero()) {
      transaction = null;
    }
  }

  /** The legacy /run/ostree/staged-deployment-locked an rpm-ostree before 2024.6 wrote. */
  public RpmOstreeHost legacyLockFile() {
    legacyLockFile = true;
    return this;
  }

  public String bootedVersion() {
    return booted.build().version();
  }

  public Optional<String> stagedVersion() {
    return Optional.ofNullable(staged).map(d -> d.build().version());
  }

  /** Whether the staged deployment's finalization is locked in ostree's staging metadata. */
  public boolean stagedLocked() {
    return staged != null && stagedLocked;
  }

  @Override
  protected synchronized CommandResult handle(List<String> argv) {
    if (argv.equals(List.of("test", "-d", "/etc/machine-config-daemon"))) {
      return exit(argv, machineConfigDaemon ? 0 : 1, "", "");
    }
    if (argv.size() < 2 || !argv.get(0).equals("rpm-ostree")) {
      return unknown(argv);
    }
    List<String> args = argv.subList(2, argv.size());
    String verb = argv.get(1);
    if (verb.equals("status") && args.equals(List.of("--json"))) {
      return ok(argv, status());
    }
    if (transaction != null) {
      return error(
          argv,
          "Transaction in progress: "
              + transaction
              + "\n You can cancel the current transaction with `rpm-ostree cancel`");
    }
    if (List.of("deploy", "upgrade", "rebase").contains(verb)
        && driverUnit != null
        && unit(driverUnit).active()
        && !args.contains("--bypass-driver")) {
      return error(
          argv,
          "Updates and deployments are driven by Zincati ("
              + driverUnit
              + ")\nSee Zincati's documentation\nUse --bypass-driver to bypass Zincati and"
              + " perform the operation anyways");
    }
    return switch (verb) {
      case "deploy", "upgrade", "rebase" -> stage(argv, verb, args);
      case "finalize-deployment" -> finalizeDeployment(argv, args);
      case "cleanup" -> cleanup(argv, args);
      case "rollback" -> rollback(argv, args);
      default -> unknown(argv);
    };
  }

  /**
   * deploy_transaction_execute: staging replaces what was staged, carrying the requested packages;
   * {@code --lock-finalization} locks it in ostree's staging metadata (rpm-ostree PR #4939), not in
   * the legacy /run file; rpmostree-clientlib refuses deploy/upgrade/rebase while an active driver
   * is registered.
   */
  private CommandResult stage(List<String> argv, String verb, List<String> args) {
    String last = args.isEmpty() ? "" : args.get(args.size() - 1);
    String origin = booted.origin();
    Build build;
    if (verb.equals("rebase")) {
      origin = last;
      build = registry.get(last.replaceFirst("^ostree-[a-z-]+:(docker://|[a-z]+:(?!//))?", ""));
    } else if (verb.equals("deploy")) {
      build = booted.image() ? null : published.get(last.replaceFirst("^version=", ""));
    } else {
      build = booted.image() ? registry.get(IMAGE + ":stable") : last(published);
      if (build.equals(booted.build()) && staged == null) {
        return ok(argv, "No upgrade available.\n");
      }
    }
    if (build == null) {
      return error(argv, "simulated host: nothing matches " + last);
    }
    staged = new Dep(origin, build, booted.packages());
    stagedLocked = args.contains("--lock-finalization");
    return ok(argv, "Staging deployment...done\n");
  }

  /**
   * finalize_deployment_transaction_execute: the argument must be the staged image's manifest
   * digest (≥ 2025.7, image deployments) or its base commit; an unlocked deployment is refused
   * without {@code --allow-unlocked}; then the lock is dropped and the daemon reboots.
   */
  private CommandResult finalizeDeployment(List<String> argv, List<String> args) {
    List<String> positional = args.stream().filter(a -> !a.startsWith("--")).toList();
    if (positional.size() != 1) {
      return error(argv, "Must provide expected CHECKSUM or --allow-missing-checksum");
    }
    if (staged == null) {
      return error(argv, "No pending staged deployment found");
    }
    String found =
        finalizeByDigest && staged.image() ? staged.build().digest() : staged.build().commit();
    if (!found.equals(positional.get(0))) {
      return error(
          argv, "Expected staged base checksum " + positional.get(0) + ", but found " + found);
    }
    if (!stagedLocked && !args.contains("--allow-unlocked")) {
      return error(argv, "Staged deployment already unlocked");
    }
    stagedLocked = false;
    return askReboot(argv, "rpm-ostree finalize-deployment");
  }

  /** cleanup -p: drops the staged deployment, or an unstaged one pending ahead of the booted. */
  private CommandResult cleanup(List<String> argv, List<String> args) {
    if (!args.equals(List.of("-p"))) {
      return unknown(argv);
    }
    staged = null;
    deployments.subList(0, deployments.indexOf(booted)).clear();
    return ok(argv, "Deployments unchanged.\n");
  }

  /** rollback_transaction_execute: refuses a staged deployment, else moves rollback first. */
  private CommandResult rollback(List<String> argv, List<String> args) {
    if (staged != null) {
      return error(argv, "Staged deployment (remove with cleanup -p)");
    }
    int at = deployments.indexOf(booted);
    if (deployments.size() == 1) {
      return error(argv, "No rollback deployment found");
    }
    Dep target = at + 1 < deployments.size() ? deployments.get(at + 1) : booted;
    deployments.remove(target);
    deployments.add(0, target);
    return args.contains("--reboot")
        ? askReboot(argv, "rpm-ostree rollback --reboot")
        : ok(argv, "Moving '" + target.checksum() + ".0' to be first deployment\n");
  }

  /**
   * ostree-finalize-staged.service (ostree PR #3090): a staged deployment locked in its metadata,
   * or by the legacy file, is not finalized and the old OS boots; else it becomes the default and
   * the booted one the rollback.
   */
  @Override
  protected void onShutdown() {
    if (staged != null && !stagedLocked && !legacyLockFile) {
      deployments.clear();
      deployments.add(staged);
      deployments.add(booted);
    }
  }

  /**
   * /run is empty again: no staged deployment, lock file, driver registration
   * (/run/rpm-ostree/update-driver.gv) or transaction; an enabled Zincati with updates on starts
   * and registers again.
   */
  @Override
  protected void onBoot() {
    booted = deployments.get(0);
    staged = null;
    stagedLocked = false;
    legacyLockFile = false;
    transaction = null;
    boolean zincatiRuns = unit("zincati.service").enabled() && zincatiUpdates;
    driverUnit = zincatiRuns ? "zincati.service" : null;
  }

  /** rpmostree-builtin-status.cxx: deployments, transaction (sss) or null, update-driver. */
  private String status() {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode list = root.putArray("deployments");
    if (staged != null) {
      list.add(json(staged));
    }
    deployments.forEach(d -> list.add(json(d)));
    if (transaction == null) {
      root.putNull("transaction");
    } else {
      root.putArray("transaction")
          .add("UpdateDeployment")
          .add(":1.42")
          .add("/org/projectatomic/rpmostree1/fedora_coreos");
    }
    root.putNull("cached-update");
    if (driverUnit == null) {
      root.putNull("update-driver");
    } else {
      root.putObject("update-driver")
          .put("driver-name", "Zincati")
          .put("driver-sd-unit", driverUnit);
    }
    return root.toPrettyString() + "\n";
  }

  /** deployment_populate_variant: finalization-locked only from the legacy lock file. */
  private ObjectNode json(Dep d) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", "fedora-coreos-" + d.checksum() + ".0");
    o.put("osname", "fedora-coreos");
    o.put("checksum", d.checksum());
    o.put("serial", 0);
    o.put("booted", d == booted);
    o.put("staged", d == staged);
    if (d == staged && legacyLockFile) {
      o.put("finalization-locked", true);
    }
    o.put("pinned", false);
    o.put("version", d.build().version());
    if (d.image()) {
      o.put("container-image-reference", d.origin());
      o.put("container-image-reference-digest", d.build().digest());
    } else {
      o.put("origin", d.origin());
    }
    if (!d.packages().isEmpty()) {
      o.put("base-checksum", d.build().commit());
    }
    ArrayNode packages = o.putArray("packages");
    d.packages().forEach(packages::add);
    return o;
  }

  private static CommandResult error(List<String> argv, String message) {
    return exit(argv, 1, "", "error: " + message + "\n");
  }

  private static Build last(Map<String, Build> builds) {
    return builds.values().stream().reduce((a, b) -> b).orElseThrow();
  }

  private static String sha(String text) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
