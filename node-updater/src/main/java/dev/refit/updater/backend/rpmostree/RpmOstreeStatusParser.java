package dev.refit.updater.backend.rpmostree;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.refit.updater.backend.JsonView;
import dev.refit.updater.host.HostOutputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses {@code rpm-ostree status --json} (Fedora CoreOS, RHCOS, CentOS Stream CoreOS, and
 * rpm-ostree-managed image-mode hosts).
 *
 * <p>Only the fields Refit acts on are read; the many others (package lists, commit metadata,
 * signatures) are ignored, so additions in newer rpm-ostree releases do not break the agent.
 * Optional fields ({@code version}, {@code origin}, {@code base-checksum}, {@code staged}, {@code
 * update-driver}, ...) may be absent or null. A document that is not JSON, is cut short, or lacks
 * {@code deployments}, a deployment's {@code checksum}, {@code osname} or {@code booted} flag, is
 * rejected.
 */
public final class RpmOstreeStatusParser {

  /** The command that prints the status. */
  public static final List<String> COMMAND = List.of("rpm-ostree", "status", "--json");

  static final String COMMAND_LINE = String.join(" ", COMMAND);

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private RpmOstreeStatusParser() {}

  /** Parses the command's standard output. */
  public static RpmOstreeStatus parse(String stdout) throws HostOutputException {
    JsonView root =
        JsonView.read(MAPPER, COMMAND_LINE, stdout, "a JSON object with a \"deployments\" array");
    if (root.isAbsent("deployments")) {
      throw root.missing("deployments", "an array");
    }
    List<RpmOstreeDeployment> read = new ArrayList<>();
    for (JsonView item : root.optionalArray("deployments")) {
      read.add(deployment(item.asObject()));
    }
    if (read.isEmpty()) {
      throw new HostOutputException(COMMAND_LINE, "at least one deployment", stdout);
    }
    return new RpmOstreeStatus(assignRoles(read), transaction(root), updateDriver(root));
  }

  private static RpmOstreeDeployment deployment(JsonView d) throws HostOutputException {
    boolean booted = d.requireBoolean("booted");
    boolean staged = d.optionalBoolean("staged", false);
    if (booted && staged) {
      throw d.mismatch("a deployment that is not both booted and staged");
    }
    Optional<OstreeImageReference> image = Optional.empty();
    Optional<String> reference = d.optionalText("container-image-reference");
    if (reference.isPresent()) {
      image = Optional.of(OstreeImageReference.parse(reference.get(), COMMAND_LINE));
    }
    return new RpmOstreeDeployment(
        d.requireText("id"),
        d.requireText("osname"),
        d.requireText("checksum"),
        d.optionalText("base-checksum"),
        d.optionalText("version"),
        d.optionalText("origin"),
        image,
        d.optionalText("container-image-reference-digest"),
        booted,
        staged,
        d.optionalBoolean("pinned", false),
        d.optionalBoolean("finalization-locked", false),
        d.optionalEpochSeconds("timestamp"),
        DeploymentRole.OTHER);
  }

  /**
   * Gives each deployment its role. Like {@code ostree_sysroot_query_deployments_for}, only
   * deployments of the booted stateroot count as pending or rollback.
   */
  private static List<RpmOstreeDeployment> assignRoles(List<RpmOstreeDeployment> in)
      throws HostOutputException {
    int booted = -1;
    for (int i = 0; i < in.size(); i++) {
      if (in.get(i).booted()) {
        if (booted >= 0) {
          throw new HostOutputException(
              COMMAND_LINE, "at most one booted deployment", in.get(i).id());
        }
        booted = i;
      }
    }
    List<RpmOstreeDeployment> out = new ArrayList<>(in.size());
    boolean pendingSeen = false;
    boolean rollbackSeen = false;
    for (int i = 0; i < in.size(); i++) {
      RpmOstreeDeployment d = in.get(i);
      DeploymentRole role = DeploymentRole.OTHER;
      boolean sameRoot = booted >= 0 && d.osname().equals(in.get(booted).osname());
      if (d.booted()) {
        role = DeploymentRole.BOOTED;
      } else if (d.staged()) {
        role = DeploymentRole.STAGED;
      } else if (sameRoot && i < booted && !pendingSeen) {
        role = DeploymentRole.PENDING;
        pendingSeen = true;
      } else if (sameRoot && i > booted && !rollbackSeen) {
        role = DeploymentRole.ROLLBACK;
        rollbackSeen = true;
      }
      out.add(d.withRole(role));
    }
    return out;
  }

  private static Optional<RpmOstreeStatus.Transaction> transaction(JsonView root)
      throws HostOutputException {
    if (root.isAbsent("transaction")) {
      return Optional.empty();
    }
    List<JsonView> parts = root.optionalArray("transaction");
    List<String> text = root.optionalTextArray("transaction");
    if (parts.size() != 3) {
      throw new HostOutputException(
          COMMAND_LINE, "transaction as [method, sender, path]", String.join(", ", text));
    }
    return Optional.of(new RpmOstreeStatus.Transaction(text.get(0), text.get(1), text.get(2)));
  }

  private static Optional<RpmOstreeStatus.UpdateDriver> updateDriver(JsonView root)
      throws HostOutputException {
    Optional<JsonView> driver = root.optionalObject("update-driver");
    if (driver.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new RpmOstreeStatus.UpdateDriver(
            driver.get().requireText("driver-name"), driver.get().requireText("driver-sd-unit")));
  }
}
