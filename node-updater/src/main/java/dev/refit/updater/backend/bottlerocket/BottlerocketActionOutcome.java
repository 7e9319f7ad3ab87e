package dev.refit.updater.backend.bottlerocket;

import java.util.List;

/**
 * How an apiclient update action ({@code update apply}, {@code update cancel}, a raw POST to {@code
 * /actions/...}) or status read ended. Sealed so the agent handles every case, and each case says
 * whether simply trying again later is the right reaction.
 */
public sealed interface BottlerocketActionOutcome {

  /** Whether retrying the same action after a short wait is the right reaction. */
  boolean retryable();

  /**
   * apiclient exited 0.
   *
   * @param log the apiclient log lines, e.g. "Update has been applied and will take effect..."
   */
  record Succeeded(List<String> log) implements BottlerocketActionOutcome {
    /** Copies the log. */
    public Succeeded {
      log = List.copyOf(log);
    }

    @Override
    public boolean retryable() {
      return false;
    }
  }

  /**
   * HTTP 423 Locked: another update command (often another agent, or a previous call of ours still
   * running) holds thar-be-updates' lock. The API's own words are "Update lock held" for actions
   * and "Unable to obtain shared lock for reading update status" for status reads.
   *
   * @param method the HTTP method apiclient used
   * @param path the API path, e.g. {@code /actions/prepare-update}
   * @param reason the API's explanation
   */
  record LockHeld(String method, String path, String reason) implements BottlerocketActionOutcome {
    @Override
    public boolean retryable() {
      return true;
    }
  }

  /**
   * HTTP 409 Conflict, "Update action not allowed according to update state": e.g. {@code apply}
   * with no chosen update, or an update already applied. Re-read the status, don't retry.
   *
   * @param method the HTTP method apiclient used
   * @param path the API path
   * @param reason the API's explanation
   */
  record NotAllowed(String method, String path, String reason)
      implements BottlerocketActionOutcome {
    @Override
    public boolean retryable() {
      return false;
    }
  }

  /**
   * Any other HTTP error, e.g. 404 "Update status is uninitialized, refresh-updates to initialize
   * it", 404 "No update image applied to staging partition", 500 "Update dispatcher failed".
   *
   * @param httpStatus the status code
   * @param method the HTTP method apiclient used
   * @param path the API path (older apiclient prints a full {@code unix://} URI)
   * @param reason the API's explanation
   */
  record Rejected(int httpStatus, String method, String path, String reason)
      implements BottlerocketActionOutcome {
    @Override
    public boolean retryable() {
      return false;
    }

    /** Whether the update status has never been initialized (run a check/refresh first). */
    public boolean statusUninitialized() {
      return httpStatus == 404 && reason.contains("uninitialized");
    }
  }

  /**
   * The request was accepted but the update command itself failed, e.g. "prepare attempt failed
   * with status 'Failed' (1): ..." (a download or verification error).
   *
   * @param detail apiclient's message
   */
  record CommandFailed(String detail) implements BottlerocketActionOutcome {
    @Override
    public boolean retryable() {
      return false;
    }
  }

  /**
   * apiclient gave up waiting for the status to confirm the action ("Timed out after waiting",
   * "Failed to check status N times"): the action may or may not have happened. Re-read status.
   *
   * @param detail apiclient's message
   */
  record Unconfirmed(String detail) implements BottlerocketActionOutcome {
    @Override
    public boolean retryable() {
      return true;
    }
  }
}
