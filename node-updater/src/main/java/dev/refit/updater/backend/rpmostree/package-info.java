/**
 * Fedora CoreOS, RHCOS and CentOS Stream CoreOS through rpm-ostree: its status parser, ostree image
 * references and the refusals (Zincati, the Machine Config Daemon). Imports backend's shared code
 * and the layers below it, never another family.
 */
package dev.refit.updater.backend.rpmostree;
