/**
 * An in-memory host and its backend, for tests and the fleet simulator; it behaves as its family's
 * traits say. Imports agent, selinux and host, never another family.
 */
package dev.refit.updater.backend.fake;
