/**
 * SELinux facts and changes on hosts whose policy can change, and the parsers of the SELinux tools.
 * Imports only host; no Kubernetes, no Micrometer, no executors, no system clock.
 */
package dev.refit.updater.selinux;
