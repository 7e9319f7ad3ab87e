package dev.refit.api;

/** The SELinux modes a node can be set to (Disabled cannot be reached without a reinstall). */
public enum SELinuxMode {
  /** Policy is enforced: denials block the access. */
  Enforcing,
  /** Policy is evaluated and denials logged, but not enforced. */
  Permissive;
}
