/**
 * Programs that measure the embedded API at fleet scale; run by hand (docs/benchmarks.md), never by
 * the build.
 */
package dev.refit.testing.bench;
