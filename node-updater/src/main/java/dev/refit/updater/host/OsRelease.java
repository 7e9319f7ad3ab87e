package dev.refit.updater.host;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The variables of {@code /etc/os-release}, unquoted, in file order. Accessors for the fields Refit
 * uses; everything else is kept in {@link #fields()}.
 *
 * @param fields every assignment, with quotes and escapes removed
 */
public record OsRelease(Map<String, String> fields) {

  /** Copies the fields, keeping their order. */
  public OsRelease {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** Any variable, if set. */
  public Optional<String> get(String key) {
    return Optional.ofNullable(fields.get(key));
  }

  /** {@code ID}, e.g. fedora, rhcos, scos, centos, rhel, bottlerocket, flatcar. */
  public Optional<String> id() {
    return get("ID");
  }

  /** {@code ID_LIKE} split on spaces, e.g. [rhel, fedora]; empty if unset. */
  public List<String> idLike() {
    return get("ID_LIKE").map(v -> Arrays.asList(v.trim().split("\\s+"))).orElse(List.of());
  }

  /** {@code VARIANT_ID}, e.g. coreos, server, or the Bottlerocket variant aws-k8s-1.28. */
  public Optional<String> variantId() {
    return get("VARIANT_ID");
  }

  /** {@code VERSION_ID}, e.g. 41, 4.12, 1.19.0. */
  public Optional<String> versionId() {
    return get("VERSION_ID");
  }

  /** {@code VERSION}, e.g. "41.20241109.3.0 (CoreOS)". */
  public Optional<String> version() {
    return get("VERSION");
  }

  /** {@code PRETTY_NAME}, the line humans read. */
  public Optional<String> prettyName() {
    return get("PRETTY_NAME");
  }

  /** {@code OSTREE_VERSION}, set by rpm-ostree on every ostree-built image (CoreOS and bootc). */
  public Optional<String> ostreeVersion() {
    return get("OSTREE_VERSION");
  }
}
