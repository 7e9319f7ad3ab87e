package dev.refit.system.agents;

import dev.refit.testing.FakeNodes;
import dev.refit.updater.backend.fake.FakeMachine;

/**
 * A fake host's machine that is a fake kubelet's node: its boot ID is the one the Node reports (the
 * one the operator checks), and a reboot is the kubelet's reboot (NotReady, new boot ID, Ready).
 */
public final class KubeletMachine implements FakeMachine {

  private final FakeNodes nodes;
  private final String name;

  public KubeletMachine(FakeNodes nodes, String name) {
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
