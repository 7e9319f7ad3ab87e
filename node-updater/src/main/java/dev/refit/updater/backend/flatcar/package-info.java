/**
 * Flatcar through update_engine, the reboot managers (locksmithd, FLUO, kured) it refuses, and
 * whether its SELinux policy store can be written. Imports backend's shared code and the layers
 * below it, never another family.
 */
package dev.refit.updater.backend.flatcar;
