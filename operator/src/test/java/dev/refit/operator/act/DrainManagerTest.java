package dev.refit.operator.act;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.Drain;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DrainManagerTest {

  private static final Instant SINCE = Instant.parse("2026-12-06T05:00:00Z");

  @Test
  void evictionsWaitForLoadBalancersFromWhenTheDrainBegan() {
    Drain drain = new Drain();
    drain.setLoadBalancerWaitSeconds(30);

    // an operator that takes the drain over later waits only what is left of it
    assertThat(DrainManager.evictFrom(drain, SINCE)).isEqualTo(SINCE.plusSeconds(30));
  }

  @Test
  void noWaitWithoutOneAskedForOrWithoutTheLabelThatMakesLoadBalancersLetGo() {
    Drain none = new Drain();
    assertThat(DrainManager.evictFrom(none, SINCE)).isNull();

    Drain zero = new Drain();
    zero.setLoadBalancerWaitSeconds(0);
    assertThat(DrainManager.evictFrom(zero, SINCE)).isNull();

    Drain unlabelled = new Drain();
    unlabelled.setLoadBalancerWaitSeconds(30);
    unlabelled.setExcludeFromLoadBalancers(false);
    assertThat(DrainManager.evictFrom(unlabelled, SINCE)).isNull();
  }
}
