package dev.refit.updater.backend.rpmostree;

/**
 * The part an rpm-ostree deployment plays, derived the way libostree derives it: the deployment
 * list is in boot order, so whatever sits before the booted one boots next, and the first one after
 * it is what {@code rpm-ostree rollback} would return to.
 */
public enum DeploymentRole {
  /** The deployment the host is running now. */
  BOOTED,
  /** Written by {@code deploy}/{@code rebase} but finalized only at shutdown ({@code staged}). */
  STAGED,
  /** Already in the bootloader ahead of the booted one, not staged (older or --no-stage). */
  PENDING,
  /** The first deployment after the booted one: what a rollback would boot. */
  ROLLBACK,
  /** Any other deployment (older rollbacks, pinned extras, other stateroots). */
  OTHER
}
