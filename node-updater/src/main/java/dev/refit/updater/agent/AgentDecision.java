package dev.refit.updater.agent;

import java.time.Instant;
import java.util.Objects;

/**
 * What the agent does next, decided by {@link AgentStep}: the record to write to the OSNode status
 * first (the write must succeed before any host action), and the host action.
 *
 * @param kind the host action
 * @param record the action record to report (written before the host action)
 * @param wakeAt when to look again even if nothing happens ({@link Kind#AWAIT_REBOOT}), or null
 */
public record AgentDecision(Kind kind, ActionRecord record, Instant wakeAt) {

  /** The host actions. */
  public enum Kind {
    /** No host action: report the facts (and the record, if it changed). */
    REPORT,
    /** Stage the target without disruption (start, or look at a staging in progress). */
    STAGE,
    /** Apply the SELinux booleans and modules; no reboot is needed. */
    APPLY_LIVE,
    /** Apply what applies live, record the reboot request on the host, finalize and reboot. */
    REBOOT,
    /** Record the reboot request on the host, make the rollback deployment current, reboot. */
    ROLLBACK,
    /** A reboot was requested in this boot: wait for it, never ask again. */
    AWAIT_REBOOT,
    /**
     * The instruction needs work on the host, but the host is not eligible ({@link
     * HostFacts#refusals}): report why, start nothing, look again soon.
     */
    REFUSED
  }

  /** Validates the fields. */
  public AgentDecision {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(record, "record");
  }

  static AgentDecision of(Kind kind, ActionRecord record) {
    return new AgentDecision(kind, record, null);
  }
}
