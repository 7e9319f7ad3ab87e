package dev.refit.testing;

/** Ways a simulated node can misbehave, injected with {@link FakeNodes#inject}. */
public enum NodeFault {
  /** After a reboot the node reports a new boot ID but never turns Ready again. */
  NEVER_READY,
  /** Reboot requests are ignored: boot ID and Ready stay as they are. */
  NEVER_REBOOT
}
