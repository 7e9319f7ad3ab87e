package dev.refit.testing;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;

/**
 * What a fake kubelet knows about its node. Only changed on the {@link FakeNodes} executor thread,
 * so it needs no locking; the boot ID may also be read from any thread.
 */
final class SimulatedNode {

  final String name;
  final Set<NodeFault> faults = EnumSet.noneOf(NodeFault.class);

  /** Whether the kubelet fails after a boot, asked at each boot; null: it never does. */
  java.util.function.BooleanSupplier brokenAfterBoot;

  volatile String bootId = UUID.randomUUID().toString();
  String ready = "True";
  private final List<ScheduledFuture<?>> pending = new ArrayList<>();

  SimulatedNode(String name) {
    this.name = name;
  }

  /** Cancels whatever the node was about to do: a new reboot or a manual change supersedes it. */
  void cancelPending() {
    pending.forEach(f -> f.cancel(false));
    pending.clear();
  }

  void later(SerialExecutor executor, long millis, Runnable step) {
    pending.removeIf(ScheduledFuture::isDone);
    ScheduledFuture<?> future = executor.schedule(step, millis);
    if (future != null) {
      pending.add(future);
    }
  }

  void reboot() {
    bootId = UUID.randomUUID().toString();
  }
}
