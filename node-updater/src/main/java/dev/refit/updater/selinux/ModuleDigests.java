package dev.refit.updater.selinux;

import dev.refit.api.Revisions;

/**
 * Digests of SELinux module sources, to tell an installed module from a changed one: the one digest
 * the operator writes into an OSNode's {@code spec.moduleDigests} ({@link Revisions#moduleDigest}),
 * recorded in the agent's ledger for every copy it installs.
 */
public final class ModuleDigests {

  /** How many hex digits a digest recorded by an agent older than the spec's digests carries. */
  static final int LEGACY_HEX_DIGITS = 16;

  private ModuleDigests() {}

  /** {@code sha256:} and the 64 hex digits of the SHA-256 of the CIL source. */
  public static String of(String cil) {
    return Revisions.moduleDigest(cil);
  }

  /**
   * Whether an installed copy, recorded with {@code installed}, has the source the spec declares.
   * Ledgers written before digests were declared hold the first 16 hex digits alone: such a copy
   * matches a declared digest that begins with them, so an upgrade reinstalls nothing.
   */
  public static boolean matches(String declared, String installed) {
    if (declared == null || installed == null) {
      return false;
    }
    if (declared.equals(installed)) {
      return true;
    }
    return installed.length() == LEGACY_HEX_DIGITS
        && declared.startsWith(Revisions.DIGEST_PREFIX + installed);
  }
}
