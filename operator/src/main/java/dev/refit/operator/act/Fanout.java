package dev.refit.operator.act;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Runs one kind of write for many nodes at once, bounded, and waits for all of them: a round that
 * cordons a hundred nodes should not take a hundred round trips in a row. The first failure is
 * rethrown after every write has finished, so the round fails as a whole and is retried; each write
 * is idempotent.
 */
final class Fanout implements AutoCloseable {

  private final ExecutorService executor;

  Fanout(int parallelism) {
    this.executor =
        Executors.newFixedThreadPool(
            parallelism,
            r -> {
              Thread thread = new Thread(r, "refit-writes");
              thread.setDaemon(true);
              return thread;
            });
  }

  <T> void each(List<T> items, Consumer<T> write) {
    if (items.size() <= 1) {
      items.forEach(write);
      return;
    }
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (T item : items) {
      writes.add(CompletableFuture.runAsync(() -> write.accept(item), executor));
    }
    try {
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
