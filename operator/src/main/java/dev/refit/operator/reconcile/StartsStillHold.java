package dev.refit.operator.reconcile;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Whether the view a round was planned from still holds when it takes a node out of service: yes
 * while the view is younger than {@code fresh}; after that, only if the API server confirms it (the
 * spec unchanged, no node less available), and a confirmation makes it fresh again from the moment
 * it was asked. Once a confirmation fails the answer stays no: the round must be planned again.
 * Asked from the driver's write threads, so one confirmation at a time.
 */
final class StartsStillHold implements BooleanSupplier {

  private final long freshNanos;
  private final BooleanSupplier confirm;
  private final LongSupplier nanoTime;
  private long viewAt;
  private boolean failed;

  /**
   * @param plannedAt when the view was read ({@link System#nanoTime()}), before the server was
   *     asked anything for the round
   */
  StartsStillHold(long plannedAt, Duration fresh, BooleanSupplier confirm, LongSupplier nanoTime) {
    this.viewAt = plannedAt;
    this.freshNanos = fresh.toNanos();
    this.confirm = confirm;
    this.nanoTime = nanoTime;
  }

  @Override
  public synchronized boolean getAsBoolean() {
    if (failed) {
      return false;
    }
    long asked = nanoTime.getAsLong();
    if (asked - viewAt < freshNanos) {
      return true;
    }
    if (confirm.getAsBoolean()) {
      viewAt = asked;
      return true;
    }
    failed = true;
    return false;
  }
}
