package dev.refit.updater.backend.bootc;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.refit.updater.backend.ImageTransport;
import dev.refit.updater.backend.JsonView;
import dev.refit.updater.host.HostOutputException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses {@code bootc status --format=json}, and the YAML form bootc prints by default when its
 * output is not a terminal. Both carry the same {@code BootcHost} document.
 *
 * <p>The human-readable form (what a person sees in a terminal) is recognised and rejected with a
 * message saying to use {@code --format=json}: its wording changed between bootc releases and it is
 * not meant for machines.
 */
public final class BootcStatusParser {

  /**
   * The command Refit runs: JSON is unambiguous, whatever bootc's default format is. {@code
   * --format} came with bootc-dev/bootc#639 (June 2024); bootc before it rejects the flag as a
   * usage error, and {@link #LEGACY_COMMAND} is read instead.
   */
  public static final List<String> COMMAND = List.of("bootc", "status", "--format=json");

  /**
   * The same document on a bootc that predates {@code --format}. {@code --json} has been there from
   * the start and is still accepted (hidden) by current bootc, so it is never wrong to fall back
   * to.
   */
  public static final List<String> LEGACY_COMMAND = List.of("bootc", "status", "--json");

  static final String COMMAND_LINE = "bootc status";

  private static final Set<String> API_VERSIONS =
      Set.of("org.containers.bootc/v1alpha1", "org.containers.bootc/v1");
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final Pattern YAML_DOCUMENT = Pattern.compile("(?m)^apiVersion:");
  private static final Pattern HUMAN_FORMAT =
      Pattern.compile(
          "(?m)^(\\W*\\s*)?(No (staged|rollback) image present|Current (booted|staged|rollback)"
              + " (image|state)|(Booted|Staged|Rollback) image:|System is not deployed via bootc)");

  private BootcStatusParser() {}

  /** Parses the command's standard output, JSON or YAML. */
  public static BootcStatus parse(String stdout) throws HostOutputException {
    String expected = "a BootcHost document (bootc status --format=json or --format=yaml)";
    String trimmed = stdout == null ? "" : stdout.strip();
    JsonView root;
    if (trimmed.startsWith("{")) {
      root = JsonView.read(JSON, COMMAND_LINE + " --format=json", trimmed, expected);
    } else if (YAML_DOCUMENT.matcher(trimmed).find()) {
      root = JsonView.read(YAML, COMMAND_LINE + " --format=yaml", trimmed, expected);
    } else if (HUMAN_FORMAT.matcher(trimmed).find()) {
      throw new HostOutputException(
          COMMAND_LINE,
          "machine-readable output; this is the human-readable format, run bootc status"
              + " --format=json",
          stdout);
    } else {
      throw new HostOutputException(COMMAND_LINE, expected, stdout);
    }
    return status(root);
  }

  private static BootcStatus status(JsonView root) throws HostOutputException {
    String apiVersion = root.requireText("apiVersion");
    if (!API_VERSIONS.contains(apiVersion)) {
      throw new HostOutputException(
          root.command(), "apiVersion " + String.join(" or ", API_VERSIONS), apiVersion);
    }
    Optional<String> kind = root.optionalText("kind");
    if (kind.isPresent() && !kind.get().equals("BootcHost")) {
      throw new HostOutputException(root.command(), "kind BootcHost", kind.get());
    }
    Optional<BootcImageReference> specImage = Optional.empty();
    Optional<JsonView> spec = root.optionalObject("spec");
    if (spec.isPresent() && !spec.get().isAbsent("image")) {
      specImage = Optional.of(reference(spec.get().requireObject("image")));
    }
    JsonView status = root.requireObject("status");
    List<BootcEntry> others = new ArrayList<>();
    for (JsonView item : status.optionalArray("otherDeployments")) {
      others.add(entry(item.asObject()));
    }
    return new BootcStatus(
        apiVersion,
        specImage,
        optionalEntry(status, "staged"),
        optionalEntry(status, "booted"),
        optionalEntry(status, "rollback"),
        status.optionalBoolean("rollbackQueued", false),
        others,
        status.optionalText("type"));
  }

  private static Optional<BootcEntry> optionalEntry(JsonView status, String name)
      throws HostOutputException {
    Optional<JsonView> entry = status.optionalObject(name);
    return entry.isPresent() ? Optional.of(entry(entry.get())) : Optional.empty();
  }

  private static BootcEntry entry(JsonView e) throws HostOutputException {
    Optional<JsonView> ostree = e.optionalObject("ostree");
    return new BootcEntry(
        optionalImage(e, "image"),
        optionalImage(e, "cachedUpdate"),
        e.optionalBoolean("incompatible", false),
        e.optionalBoolean("pinned", false),
        // downloadOnly is today's name (spec.rs BootEntry); finalizationLocked the first one.
        e.optionalBoolean("downloadOnly", false) || e.optionalBoolean("finalizationLocked", false),
        e.optionalText("store"),
        ostree.isPresent() ? ostree.get().optionalText("checksum") : Optional.empty(),
        ostree.isPresent() ? ostree.get().optionalText("stateroot") : Optional.empty());
  }

  private static Optional<BootcImage> optionalImage(JsonView entry, String name)
      throws HostOutputException {
    Optional<JsonView> image = entry.optionalObject(name);
    if (image.isEmpty()) {
      return Optional.empty();
    }
    JsonView i = image.get();
    return Optional.of(
        new BootcImage(
            reference(i.requireObject("image")),
            i.optionalText("version"),
            timestamp(i),
            i.requireText("imageDigest"),
            i.optionalText("architecture")));
  }

  private static BootcImageReference reference(JsonView ref) throws HostOutputException {
    String transportName = ref.requireText("transport");
    ImageTransport transport =
        ImageTransport.fromWireName(transportName)
            .orElseThrow(
                () ->
                    new HostOutputException(
                        ref.command(), "a known image transport at " + ref.path(), transportName));
    return new BootcImageReference(ref.requireText("image"), transport, signature(ref));
  }

  /** bootc prints {@code insecure}, {@code containerPolicy}, or {@code {ostreeRemote: name}}. */
  private static Optional<String> signature(JsonView ref) throws HostOutputException {
    if (ref.isAbsent("signature")) {
      return Optional.empty();
    }
    Optional<JsonView> remote =
        ref.node().get("signature").isObject() ? ref.optionalObject("signature") : Optional.empty();
    if (remote.isPresent()) {
      return Optional.of("ostreeRemote:" + remote.get().requireText("ostreeRemote"));
    }
    return ref.optionalText("signature");
  }

  private static Optional<Instant> timestamp(JsonView image) throws HostOutputException {
    Optional<String> text = image.optionalText("timestamp");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(text.get()).toInstant());
    } catch (DateTimeParseException e) {
      throw new HostOutputException(
          image.command(), "an RFC 3339 timestamp at " + image.path() + ".timestamp", text.get());
    }
  }
}
