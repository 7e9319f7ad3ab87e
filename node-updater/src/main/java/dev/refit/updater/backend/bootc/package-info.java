/**
 * Image-mode hosts through bootc: its status parser and image references. Imports backend's shared
 * code and the layers below it, never another family.
 */
package dev.refit.updater.backend.bootc;
