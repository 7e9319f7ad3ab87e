package dev.refit.sim;

import dev.refit.testing.FakeNodes;
import dev.refit.updater.backend.fake.FakeMachine;

/**
 * A simulated host's machine is its fake kubelet's node: the boot ID the agent reports is the one
 * the Node shows (the one the operator checks), and a reboot is the kubelet's reboot.
 */
final class KubeletMachine implements FakeMachine {

  private final FakeNodes nodes;
  private final String name;

  KubeletMachine(FakeNodes nodes, String name) {
    this.nodes = nodes;
    this.name = name;
  }

  @Override
  public String bootId() {
    return nodes.bootId(name);
  }

  @Override
  public void reboot() {
    nodes.reboot(name);
  }
}
