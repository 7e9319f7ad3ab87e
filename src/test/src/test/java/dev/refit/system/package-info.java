/**
 * System tests: the CRDs, the images and the chart on a real K3s API server; they run only where
 * Docker exists and skip elsewhere.
 */
package dev.refit.system;
