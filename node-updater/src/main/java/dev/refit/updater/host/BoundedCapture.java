package dev.refit.updater.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Drains one output stream of a process on its own thread, keeping at most {@code limit} bytes.
 *
 * <p>Reading continues past the limit (the excess is thrown away) because a child that fills its
 * pipe blocks forever in write(2); the process must always be able to finish. The thread is a
 * daemon so that a grandchild holding the pipe open can never keep the JVM alive.
 */
final class BoundedCapture {

  private static final int CHUNK = 8192;

  private final InputStream in;
  private final int limit;
  private final ByteArrayOutputStream kept;
  private final Thread thread;
  private boolean truncated;

  private BoundedCapture(InputStream in, int limit, String threadName) {
    this.in = in;
    this.limit = limit;
    this.kept = new ByteArrayOutputStream(Math.min(limit, CHUNK));
    this.thread = new Thread(this::drain, threadName);
    this.thread.setDaemon(true);
  }

  /** Starts draining {@code in} on a new daemon thread. */
  static BoundedCapture start(InputStream in, int limit, String threadName) {
    BoundedCapture capture = new BoundedCapture(in, limit, threadName);
    capture.thread.start();
    return capture;
  }

  private void drain() {
    byte[] chunk = new byte[CHUNK];
    try {
      int n;
      while ((n = in.read(chunk)) != -1) {
        keep(chunk, n);
      }
    } catch (IOException e) {
      // The stream was closed under us (timeout or abandoned grandchild); keep what we have.
    }
  }

  private synchronized void keep(byte[] chunk, int n) {
    int room = limit - kept.size();
    if (room > 0) {
      kept.write(chunk, 0, Math.min(room, n));
    }
    if (n > room) {
      truncated = true;
    }
  }

  /**
   * Waits until {@code deadline} (a {@link System#nanoTime()} value) for the stream to end. A
   * background grandchild may keep the pipe open after the command itself exited; then the stream
   * is closed and the thread abandoned, because waiting for an unrelated daemon would stall the
   * agent.
   */
  void finish(long deadline) throws InterruptedException {
    long remaining = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
    thread.join(Math.max(1, remaining));
    if (thread.isAlive()) {
      try {
        in.close();
      } catch (IOException e) {
        // Nothing more to do; the thread is a daemon and what was read is kept.
      }
    }
  }

  /** What was kept so far, decoded as UTF-8 (bad bytes become U+FFFD rather than failing). */
  synchronized String text() {
    return kept.toString(StandardCharsets.UTF_8);
  }

  /** Whether more bytes arrived than were kept. */
  synchronized boolean truncated() {
    return truncated;
  }
}
