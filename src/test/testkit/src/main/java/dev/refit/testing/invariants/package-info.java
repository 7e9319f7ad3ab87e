/**
 * Test kit, invariants: each class judges one safety invariant from outside the operator, from the
 * Kubernetes objects a watch delivers and what the embedded API recorded; shared by the simulator's
 * observer and the operator's integration tests, and independent of production code (only the API's
 * names, such as Refit's cordon annotation, are shared).
 */
package dev.refit.testing.invariants;
