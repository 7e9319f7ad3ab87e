/**
 * The OS backends that implement the agent's {@code OsBackend} port, and what several families
 * share: running commands ({@code CommandBackend}), the boot ID and reboot request ({@code
 * HostBoot}), systemd unit states, JSON reading, image transports, and the factory {@code
 * Backends}. Imports agent, selinux and host, never kube or app; its shared classes name no family,
 * only {@code Backends} does.
 */
package dev.refit.updater.backend;
