package dev.refit.api;

/** How far the agent got with the instruction it last observed. */
public enum ActionState {
  /** The agent is carrying the instruction out (staging, or about to reboot). */
  Running,
  /** The instruction is done (for Apply: the host booted the target). */
  Succeeded,
  /** The instruction failed; lastError says why. */
  Failed
}
