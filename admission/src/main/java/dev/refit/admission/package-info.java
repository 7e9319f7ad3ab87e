/**
 * What the Kubernetes API server answers at {@code kubectl apply} for a Refit manifest, judged
 * offline from the CRDs the API module ships: schema defaults, the structural schema with strict
 * field validation, and every CEL rule. It depends on the API and on nothing of the operator or the
 * agent, which must stay free of a CEL runtime.
 */
package dev.refit.admission;
