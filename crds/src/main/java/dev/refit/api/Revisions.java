package dev.refit.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The revision of a desired node state: a short hash of the OS target and the SELinux policy, with
 * each module's CIL source hashed by its content wherever it is kept. Two specs that mean the same
 * (lists in another order, the same CIL inline or in a ConfigMap) have the same revision; anything
 * that changes what a node must run, an edit of a module's CIL included, changes it.
 *
 * <p>A module is hashed as {@code {cil, name, priority}} whatever its source, which is exactly how
 * an inline module was always hashed: revisions of policies with inline modules stay as they were,
 * and only a policy whose modules come from ConfigMaps gets a new revision once, the first time an
 * operator that reads the ConfigMaps sees it.
 */
public final class Revisions {

  /** The prefix of a module digest: the algorithm, as OCI digests name it. */
  public static final String DIGEST_PREFIX = "sha256:";

  private static final ObjectMapper CANONICAL =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  private Revisions() {}

  /**
   * The revision of this target and SELinux policy (null means "leave SELinux as it is"), with the
   * CIL of the modules whose source is a ConfigMap given by module name. A module whose CIL is
   * neither inline nor given is hashed by its reference: only tools that never read ConfigMaps do
   * that; the operator reads every source first and rolls out nothing it could not read.
   */
  public static String of(OSTarget os, SELinuxPolicy selinux, Map<String, String> resolvedCil) {
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("os", os);
    state.put("selinux", canonical(selinux, resolvedCil));
    return hex(sha256(json(state)), 6);
  }

  /** The revision of this target and SELinux policy, every module's CIL inline. */
  public static String of(OSTarget os, SELinuxPolicy selinux) {
    return of(os, selinux, Map.of());
  }

  /** The revision a policy's spec asks for, every module's CIL inline. */
  public static String of(OSUpdatePolicySpec spec) {
    return of(spec.getOs(), spec.getSelinux());
  }

  /**
   * The digest of a module's CIL source, {@code sha256:} and 64 hex digits: what the operator
   * writes into an OSNode's {@code spec.moduleDigests}, and what the agent records for each module
   * it installs, so both tell the installed module from a changed one without the source.
   */
  public static String moduleDigest(String cil) {
    return DIGEST_PREFIX + hex(sha256(cil), 32);
  }

  /** The module's CIL: inline, or as resolved from its ConfigMap; null when neither is known. */
  public static String cil(SELinuxModule module, Map<String, String> resolvedCil) {
    return module.getCil() != null ? module.getCil() : resolvedCil.get(module.getName());
  }

  private static SELinuxPolicy canonical(SELinuxPolicy selinux, Map<String, String> resolvedCil) {
    if (selinux == null) {
      return null;
    }
    SELinuxPolicy copy = new SELinuxPolicy();
    copy.setMode(selinux.getMode());
    copy.setBooleans(
        selinux.getBooleans().stream()
            .sorted(Comparator.comparing(SELinuxBoolean::getName))
            .toList());
    copy.setModules(
        selinux.getModules().stream()
            .sorted(Comparator.comparing(SELinuxModule::getName))
            .map(m -> byContent(m, resolvedCil))
            .toList());
    return copy;
  }

  /** The module as an inline one when its CIL is known, so the source's place does not count. */
  private static SELinuxModule byContent(SELinuxModule module, Map<String, String> resolvedCil) {
    String cil = cil(module, resolvedCil);
    if (cil == null) {
      return module;
    }
    SELinuxModule copy = SELinuxModule.inline(module.getName(), cil);
    copy.setPriority(module.getPriority());
    return copy;
  }

  private static String json(Object value) {
    try {
      return CANONICAL.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot hash the desired state", e);
    }
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String hex(byte[] digest, int bytes) {
    return HexFormat.of().formatHex(digest, 0, bytes);
  }
}
