package dev.refit.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StartsStillHoldTest {

  private static final Duration FRESH = Duration.ofMillis(500);
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final AtomicInteger asked = new AtomicInteger();

  private StartsStillHold holdWith(Boolean... answers) {
    ArrayDeque<Boolean> queue = new ArrayDeque<>(List.of(answers));
    return new StartsStillHold(
        now.get(),
        FRESH,
        () -> {
          asked.incrementAndGet();
          return queue.removeFirst();
        },
        now::get);
  }

  @Test
  void aFreshViewHoldsWithoutAskingTheServer() {
    StartsStillHold hold = holdWith();
    now.addAndGet(FRESH.toNanos() - 1);
    assertThat(hold.getAsBoolean()).isTrue();
    assertThat(asked).hasValue(0);
  }

  @Test
  void aConfirmationMakesTheViewFreshAgainFromWhenItWasAsked() {
    StartsStillHold hold = holdWith(true, true);
    now.addAndGet(FRESH.toNanos());
    assertThat(hold.getAsBoolean()).isTrue();
    now.addAndGet(FRESH.toNanos() - 1);
    assertThat(hold.getAsBoolean()).isTrue();
    assertThat(asked).hasValue(1);
    now.addAndGet(1);
    assertThat(hold.getAsBoolean()).isTrue();
    assertThat(asked).hasValue(2);
  }

  @Test
  void onceTheServerSaysTheViewIsGoneItStaysGone() {
    StartsStillHold hold = holdWith(false);
    now.addAndGet(FRESH.toNanos());
    assertThat(hold.getAsBoolean()).isFalse();
    now.addAndGet(1);
    assertThat(hold.getAsBoolean()).isFalse();
    assertThat(asked).hasValue(1);
  }
}
