/**
 * The thin Kubernetes layer: the name-scoped OSNode watch, the status patch and the ConfigMap read,
 * the only code that talks to the API server. Imports agent, selinux and host, never backend or
 * app.
 */
package dev.refit.updater.kube;
