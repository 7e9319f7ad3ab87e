/** The refit.dev/v1alpha1 API. */
package dev.refit.api;
