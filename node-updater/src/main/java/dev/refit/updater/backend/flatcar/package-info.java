/**
 * Flatcar through update_engine, and the reboot managers (locksmithd, FLUO, kured) it refuses.
 * Imports backend's shared code and the layers below it, never another family.
 */
package dev.refit.updater.backend.flatcar;
