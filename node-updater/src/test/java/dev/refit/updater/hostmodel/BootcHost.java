package dev.refit.updater.hostmodel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refit.updater.host.CommandResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An image-mode host as bootc (bootc-dev/bootc) runs it: a booted, a staged and a rollback
 * deployment, a registry of tags and digests, bootc's update timer, and the environment bootc's
 * host commands see. Each behaviour names the upstream code it follows (crates/lib/src/cli.rs,
 * status.rs, deploy.rs, spec.rs; crates/ostree-ext/src/container_utils.rs).
 */
public final class BootcHost extends SimulatedHost {

  /** systemd/bootc-fetch-apply-updates.timer: enabled on CentOS and Fedora bootc base images. */
  public static final String UPDATE_TIMER = "bootc-fetch-apply-updates.timer";

  /** systemd/bootc-fetch-apply-updates.service: {@code bootc upgrade --apply --quiet}. */
  public static final String UPDATE_SERVICE = "bootc-fetch-apply-updates.service";

  /** What this bootc's command line accepts (clap rejects anything else with exit 2). */
  public enum Cli {
    /** Before {@code status --format} (bootc-dev/bootc#639): {@code --json} only, v1alpha1. */
    BEFORE_FORMAT_FLAG,
    /** {@code --format}, no download-only mode (before bootc-dev/bootc#1831). */
    WITHOUT_DOWNLOAD_ONLY,
    /** {@code upgrade --download-only} and {@code --from-downloaded} (#1831, #1846). */
    UPGRADE_DOWNLOAD_ONLY,
    /** {@code switch --download-only} too (docs/src/man/bootc-switch.8.md). */
    CURRENT;

    boolean has(Cli feature) {
      return compareTo(feature) >= 0;
    }
  }

  /**
   * A deployment of an image.
   *
   * @param signature {@code containerPolicy}, or null for bootc's unverified default
   */
  public record Deployment(
      String image, String transport, String signature, String digest, String version) {

    Deployment of(String digest, String version) {
      return new Deployment(image, transport, signature, digest, version);
    }
  }

  private record Published(String digest, String version) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ALWAYS =
      Set.of(
          ("status --json,switch --apply,switch --enforce-container-sigpolicy,switch --quiet,"
                  + "upgrade --apply,upgrade --quiet,upgrade --check,rollback --apply")
              .split(","));

  private final Map<String, Published> registry = new HashMap<>();
  private Cli cli = Cli.CURRENT;
  private Map<String, String> environment = Map.of();
  private Deployment booted;
  private Deployment staged;
  private boolean stagedLocked;
  private Deployment rollback;
  private boolean rollbackQueued;

  /** A host booted from {@code image} (a registry reference) with that digest and version. */
  public BootcHost(String image, String digest, String version) {
    booted = new Deployment(image, "registry", null, digest, version);
    publish(image, digest, version);
    // The base images enable the timer (CentOS/centos-bootc#161, docs/usage.md); booted, it runs.
    unit(UPDATE_TIMER, true, true);
  }

  public BootcHost cli(Cli value) {
    cli = value;
    return this;
  }

  /** The environment bootc is started with (what the agent's command runner passes). */
  public BootcHost commandEnvironment(Map<String, String> env) {
    environment = Map.copyOf(env);
    return this;
  }

  /**
   * The registry serves {@code reference} (a tag) as this digest; digests resolve to themselves.
   */
  public BootcHost publish(String reference, String digest, String version) {
    registry.put(reference, new Published(digest, version));
    return this;
  }

  /** The booted image was deployed with this signature policy (e.g. {@code containerPolicy}). */
  public BootcHost bootedSignature(String signature) {
    booted =
        new Deployment(booted.image(), "registry", signature, booted.digest(), booted.version());
    return this;
  }

  public Deployment booted() {
    return booted;
  }

  public Deployment staged() {
    return staged;
  }

  public boolean stagedLocked() {
    return stagedLocked;
  }

  public Deployment rollback() {
    return rollback;
  }

  public boolean rollbackQueued() {
    return rollbackQueued;
  }

  /**
   * The update timer elapses: if it is running, bootc-fetch-apply-updates.service runs {@code bootc
   * upgrade --apply --quiet}, which reboots the host into whatever its tag points at now.
   */
  public void updateTimerElapses() {
    if (unit(UPDATE_TIMER).active()) {
      upgrade(List.of("bootc", "upgrade", "--apply", "--quiet"), UPDATE_SERVICE);
    }
  }

  @Override
  protected CommandResult handle(List<String> argv) {
    if (argv.size() < 2 || !argv.get(0).equals("bootc")) {
      return unknown(argv);
    }
    String verb = argv.get(1);
    List<String> flags = argv.subList(2, argv.size());
    for (String flag : flags) {
      if (flag.startsWith("--") && !accepts(verb, flag)) {
        // clap: "error: unexpected argument '--x' found" (the name, without any =value), exit 2.
        String name = flag.contains("=") ? flag.substring(0, flag.indexOf('=')) : flag;
        return exit(
            argv,
            2,
            "",
            "error: unexpected argument '"
                + name
                + "' found\n\nUsage: bootc "
                + verb
                + " [OPTIONS]\n\nFor more information, try '--help'.\n");
      }
    }
    // ostree-ext container_utils::running_in_container(): the variable's presence is enough.
    boolean container = environment.containsKey("container");
    if (verb.equals("status")) {
      // status.rs get_host(): Environment::Container has no storage, so Host::default() (all null).
      return ok(argv, container ? json(false) : json(true));
    }
    if (container) {
      // cli.rs prepare_for_write(), reached by every verb that writes.
      return fail(
          argv,
          "error: Initializing storage: Preparing for write: Detected container; this"
              + " command requires a booted host system.\n");
    }
    return switch (verb) {
      case "switch" -> switchTo(argv, flags);
      case "upgrade" -> upgrade(argv, "bootc upgrade --apply");
      case "rollback" -> rollback(argv);
      default -> unknown(argv);
    };
  }

  private boolean accepts(String verb, String flag) {
    String option = verb + " " + flag;
    if (option.equals("status --format=json")) {
      return cli.has(Cli.WITHOUT_DOWNLOAD_ONLY);
    }
    if (option.equals("switch --download-only")) {
      return cli.has(Cli.CURRENT);
    }
    if (option.equals("upgrade --download-only") || option.equals("upgrade --from-downloaded")) {
      return cli.has(Cli.UPGRADE_DOWNLOAD_ONLY);
    }
    return ALWAYS.contains(option);
  }

  /**
   * cli.rs switch_ostree(): the new spec's signature is containerPolicy only with {@code
   * --enforce-container-sigpolicy} (utils.rs sigpolicy_from_opt); an unchanged spec does nothing;
   * otherwise the image is pulled and staged, locked with {@code --download-only}.
   */
  private CommandResult switchTo(List<String> argv, List<String> flags) {
    String image = argv.get(argv.size() - 1);
    String signature = flags.contains("--enforce-container-sigpolicy") ? "containerPolicy" : null;
    Deployment spec = spec();
    if (image.equals(spec.image()) && Objects.equals(signature, spec.signature())) {
      return ok(argv, "Image specification is unchanged.\n");
    }
    Published found = resolve(image);
    if (found == null) {
      return fail(argv, "error: Switching: Pulling: " + image + ": manifest unknown\n");
    }
    stage(
        new Deployment(image, "registry", signature, found.digest(), found.version()),
        flags.contains("--download-only"));
    return flags.contains("--apply") ? askReboot(argv, "bootc switch --apply") : ok(argv, "");
  }

  /**
   * cli.rs upgrade(): {@code --from-downloaded} unlocks the staged deployment without fetching; an
   * image equal to the staged one is locked ({@code --download-only}) or unlocked (no flag); one
   * equal to the booted one is "No update available."; anything else is staged. {@code --apply}
   * reboots whenever something is staged.
   */
  private CommandResult upgrade(List<String> argv, String by) {
    boolean apply = argv.contains("--apply");
    if (argv.contains("--from-downloaded")) {
      if (staged == null) {
        return fail(argv, "error: Upgrading: No staged deployment found\n");
      }
      stagedLocked = false;
      return apply ? askReboot(argv, by) : ok(argv, "Staged deployment will now be applied\n");
    }
    Deployment spec = spec();
    Published fetched = resolve(spec.image());
    if (fetched == null) {
      return fail(argv, "error: Upgrading: " + spec.image() + ": manifest unknown\n");
    }
    if (argv.contains("--check")) {
      return ok(argv, "");
    }
    boolean downloadOnly = argv.contains("--download-only");
    if (staged != null && staged.digest().equals(fetched.digest())) {
      stagedLocked = downloadOnly;
    } else if (booted.digest().equals(fetched.digest())) {
      return ok(argv, "No update available.\n");
    } else {
      stage(spec.of(fetched.digest(), fetched.version()), downloadOnly);
    }
    return apply ? askReboot(argv, by) : ok(argv, "");
  }

  /**
   * deploy.rs rollback(): swaps the boot order (again: reverts it); the staged entry is dropped.
   */
  private CommandResult rollback(List<String> argv) {
    if (rollback == null) {
      return fail(argv, "error: Rollback: No rollback available\n");
    }
    rollbackQueued = !rollbackQueued;
    staged = null;
    stagedLocked = false;
    return ok(
        argv,
        rollbackQueued ? "Next boot: rollback deployment\n" : "Next boot: current deployment\n");
  }

  /**
   * ostree-finalize-staged at shutdown: an unlocked staged deployment becomes the next boot and the
   * booted one its rollback; a locked (download-only) one is discarded (docs/src/upgrades.md);
   * otherwise a queued rollback swaps the two.
   */
  @Override
  protected void onShutdown() {
    if (staged != null && !stagedLocked) {
      rollback = booted;
      booted = staged;
    } else if (rollbackQueued) {
      Deployment previous = booted;
      booted = rollback;
      rollback = previous;
    }
    staged = null;
    stagedLocked = false;
    rollbackQueued = false;
  }

  /** systemd starts an enabled timer at boot. */
  @Override
  protected void onBoot() {
    Unit timer = unit(UPDATE_TIMER);
    unit(UPDATE_TIMER, timer.enabled(), timer.enabled());
  }

  private static CommandResult fail(List<String> argv, String stderr) {
    return exit(argv, 1, "", stderr);
  }

  private void stage(Deployment deployment, boolean locked) {
    staged = deployment;
    stagedLocked = locked;
  }

  /** status.rs get_status(): the spec is the staged image, else the booted one. */
  private Deployment spec() {
    return staged != null ? staged : booted;
  }

  private Published resolve(String image) {
    int at = image.indexOf('@');
    if (at > 0) {
      String digest = image.substring(at + 1);
      return registry.values().stream()
          .filter(p -> p.digest().equals(digest))
          .findFirst()
          .orElse(null);
    }
    return registry.get(image);
  }

  /**
   * The host document as spec.rs serialises it, in canonical JSON (status.rs: {@code
   * to_canon_json_writer}, so sorted keys, no spaces); a signature only when there is one ({@code
   * skip_serializing_if}), {@code downloadOnly} only where bootc has it.
   */
  private String json(boolean bootcHost) {
    String doc =
        "{\"apiVersion\":\"org.containers.bootc/%s\",\"kind\":\"BootcHost\","
            + "\"metadata\":{\"name\":\"host\"},\"spec\":{\"bootOrder\":\"%s\",\"image\":%s},"
            + "\"status\":{\"booted\":%s,\"rollback\":%s,\"rollbackQueued\":%s,\"staged\":%s,"
            + "\"type\":%s}}";
    return String.format(
        doc,
        cli.has(Cli.WITHOUT_DOWNLOAD_ONLY) ? "v1" : "v1alpha1",
        bootcHost && rollbackQueued ? "rollback" : "default",
        bootcHost ? reference(spec()) : "null",
        bootcHost ? entry(booted, false) : "null",
        bootcHost && rollback != null ? entry(rollback, false) : "null",
        bootcHost && rollbackQueued,
        bootcHost && staged != null ? entry(staged, stagedLocked) : "null",
        bootcHost ? "\"bootcHost\"" : "null");
  }

  /** A BootEntry; status.rs boot_entry_from_deployment(): downloadOnly = staged and locked. */
  private String entry(Deployment d, boolean locked) {
    return String.format(
        "{\"cachedUpdate\":null,%s\"image\":{\"architecture\":\"amd64\",\"image\":%s,"
            + "\"imageDigest\":%s,\"timestamp\":null,\"version\":%s},\"incompatible\":false,"
            + "\"ostree\":{\"checksum\":%s,\"deploySerial\":0,\"stateroot\":\"default\"},"
            + "\"pinned\":false}",
        cli.has(Cli.UPGRADE_DOWNLOAD_ONLY) ? "\"downloadOnly\":" + locked + "," : "",
        reference(d),
        quote(d.digest()),
        quote(d.version()),
        quote(checksum(d)));
  }

  private static String reference(Deployment d) {
    String signature = d.signature() == null ? "" : "\"signature\":" + quote(d.signature()) + ",";
    return "{\"image\":"
        + quote(d.image())
        + ","
        + signature
        + "\"transport\":"
        + quote(d.transport())
        + "}";
  }

  private static String quote(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String checksum(Deployment d) {
    String hex = d.digest().substring(d.digest().indexOf(':') + 1);
    return new StringBuilder(hex).reverse().toString();
  }
}
