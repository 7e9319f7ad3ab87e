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
 * The revision of a desired node state: a short hash of the OS target and the SELinux policy. Two
 * specs that mean the same (lists in another order) have the same revision; anything that changes
 * what a node must run changes it.
 */
public final class Revisions {

  private static final ObjectMapper CANONICAL =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  private Revisions() {}

  /** The revision of this target and SELinux policy (null means "leave SELinux as it is"). */
  public static String of(OSTarget os, SELinuxPolicy selinux) {
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("os", os);
    state.put("selinux", canonical(selinux));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(CANONICAL.writeValueAsString(state).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash the desired state", e);
    }
  }

  /** The revision a policy's spec asks for. */
  public static String of(OSUpdatePolicySpec spec) {
    return of(spec.getOs(), spec.getSelinux());
  }

  private static SELinuxPolicy canonical(SELinuxPolicy selinux) {
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
            .toList());
    return copy;
  }
}
