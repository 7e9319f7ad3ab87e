package dev.refit.updater.agent;

import java.time.Duration;
import java.util.Objects;

/** How a staging stands after one call of {@link OsBackend#stage}. */
public sealed interface StageProgress {

  /** The OS tool finished staging; the facts show what it staged. */
  record Done() implements StageProgress {}

  /**
   * The OS tool works on in the background (Bottlerocket's update API, update_engine) or another
   * transaction holds it; look again after {@code pollAfter}. The OS offers no event to wait for,
   * so this is the one place the agent polls the host.
   *
   * @param pollAfter when to look again
   * @param detail what the tool is doing, for the log
   */
  record InProgress(Duration pollAfter, String detail) implements StageProgress {
    /** Validates the fields. */
    public InProgress {
      Objects.requireNonNull(pollAfter, "pollAfter");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /** Finished. */
  static StageProgress done() {
    return new Done();
  }

  /** Still working. */
  static StageProgress inProgress(Duration pollAfter, String detail) {
    return new InProgress(pollAfter, detail);
  }
}
