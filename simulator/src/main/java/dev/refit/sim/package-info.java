/**
 * Product code: the fleet simulator, a simulated fleet (the test kit's embedded API, fake kubelets
 * and workloads) on which the real operator, as its own process, and the real node agents roll out
 * an update, observed from outside and reported; it never links the operator's classes.
 */
package dev.refit.sim;
