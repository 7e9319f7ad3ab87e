package dev.refit.updater.agent;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** An executor that accepts work and runs none of it: the test calls each step itself. */
class InertExecutor extends ScheduledThreadPoolExecutor {

  InertExecutor() {
    super(1);
  }

  @Override
  public void execute(Runnable command) {}

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return super.schedule(() -> {}, 1, TimeUnit.DAYS);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return super.schedule(() -> {}, 1, TimeUnit.DAYS);
  }
}
