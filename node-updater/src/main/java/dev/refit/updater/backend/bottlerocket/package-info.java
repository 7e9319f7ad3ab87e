/**
 * Bottlerocket through its update API (apiclient), signpost and the rendered update settings.
 * Imports backend's shared code and the layers below it, never another family.
 */
package dev.refit.updater.backend.bottlerocket;
