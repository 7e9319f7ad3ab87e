package dev.refit.updater.selinux;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short digests of SELinux module sources, to tell an installed module from a changed one. */
public final class ModuleDigests {

  private ModuleDigests() {}

  /** The first 16 hex digits of the SHA-256 of the CIL source. */
  public static String of(String cil) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(cil.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
