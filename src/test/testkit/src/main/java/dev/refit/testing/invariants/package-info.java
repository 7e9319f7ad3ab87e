/**
 * Test kit, invariants: each class judges one safety invariant from outside the operator, from the
 * Kubernetes objects a watch delivers (Nodes, OSNodes, OSUpdatePolicies, Pods, fed through {@code
 * Invariants} and kept in {@code SeenNodes}) and what the embedded API recorded (disruptions,
 * evictions, requests): {@code maxUnavailable}, {@code pdbNeverViolated}, {@code
 * noForeignUncordon}, {@code noNodeLeftCordoned}, {@code rebootOncePerTarget}, {@code
 * noDoubleDrain}, {@code specNeverWritten} (names in {@code Violation}); and {@code Settled} judges
 * from the same objects whether the fleet has settled, so a run ends on what was observed. Shared
 * by the simulator's observer and the operator's integration tests, and independent of production
 * code: only the API's model and names are shared; selectors are read as JSON and matched here.
 */
package dev.refit.testing.invariants;
