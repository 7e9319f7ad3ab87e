/**
 * Running commands on the host (nsenter or chroot, timeouts, output caps), the host's files,
 * /etc/os-release and {@code HostException}. The bottom layer: it imports no other package of the
 * node-updater, and uses no Kubernetes, no Micrometer, no executors and no system clock.
 */
package dev.refit.updater.host;
