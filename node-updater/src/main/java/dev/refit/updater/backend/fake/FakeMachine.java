package dev.refit.updater.backend.fake;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The machine under a {@link FakeHost}: its boot ID and its power button. Pluggable, so a test or
 * the simulator can bind it to a fake kubelet (whose Node reports the boot ID the operator checks)
 * instead of the in-memory machine.
 */
public interface FakeMachine {

  /** The boot ID of the current boot. */
  String bootId();

  /** Asks for a reboot; the boot ID changes when the machine is back (at once, or later). */
  void reboot();

  /** A machine that reboots at once, with boot IDs {@code <name>-boot-0}, {@code -1}, ... */
  static FakeMachine inMemory(String name) {
    return new FakeMachine() {
      private final AtomicInteger boots = new AtomicInteger();

      @Override
      public String bootId() {
        return name + "-boot-" + boots.get();
      }

      @Override
      public void reboot() {
        boots.incrementAndGet();
      }
    };
  }
}
