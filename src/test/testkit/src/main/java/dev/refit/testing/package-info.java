/**
 * Test kit: an embedded Kubernetes API (Fabric8's mock server plus the Eviction API, PDB checks,
 * field selectors and request logs), fake kubelets, fake workloads and an independent PDB oracle,
 * for the operator's and the agent's tests and the simulator; it never depends on production code
 * beyond the API model.
 */
package dev.refit.testing;
