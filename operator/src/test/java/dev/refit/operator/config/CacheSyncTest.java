package dev.refit.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator;
import io.javaoperatorsdk.operator.health.Status;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CacheSyncTest {

  private record Informer(boolean hasSynced, boolean isWatching, String getTargetNamespace)
      implements InformerHealthIndicator {
    @Override
    public boolean isRunning() {
      return true;
    }

    @Override
    public Status getStatus() {
      return hasSynced && isWatching ? Status.HEALTHY : Status.UNHEALTHY;
    }
  }

  private static InformerWrappingEventSourceHealthIndicator<?> source(
      Map<String, InformerHealthIndicator> informers) {
    return () -> informers;
  }

  @Test
  void namesEachCacheThatDidNotFillAndNotOneThatIsOnlyWatchingAgain() {
    var unhealthy =
        Map.of(
            "osupdatepolicy",
            Map.<String, InformerWrappingEventSourceHealthIndicator>of(
                "nodes",
                source(
                    Map.of(
                        Constants.WATCH_ALL_NAMESPACES,
                        new Informer(false, false, Constants.WATCH_ALL_NAMESPACES))),
                "osnodes",
                source(
                    Map.of(
                        Constants.WATCH_ALL_NAMESPACES,
                        new Informer(true, false, Constants.WATCH_ALL_NAMESPACES))),
                "configmaps",
                source(
                    Map.of(
                        "refit-system",
                        new Informer(false, true, "refit-system"),
                        "other",
                        new Informer(true, true, "other")))));

    assertThat(CacheSync.unsynced(unhealthy))
        .containsExactly(
            "osupdatepolicy/configmaps (namespace refit-system)", "osupdatepolicy/nodes");
  }

  @Test
  void nothingUnsyncedWhenEveryCacheFilled() {
    assertThat(CacheSync.unsynced(Map.of())).isEmpty();
  }

  @Test
  void theRefusalSaysWhatToCheck() {
    assertThat(CacheSync.refusal(List.of("osupdatepolicy/nodes")))
        .contains("osupdatepolicy/nodes")
        .contains("cache-sync-timeout")
        .contains("CRDs")
        .contains("get, list and watch");
  }

  private static Map<String, Map<String, InformerWrappingEventSourceHealthIndicator>> nodesUnsynced(
      boolean synced) {
    return Map.of(
        "osupdatepolicy",
        Map.of(
            "nodes",
            source(
                Map.of(
                    Constants.WATCH_ALL_NAMESPACES,
                    new Informer(synced, synced, Constants.WATCH_ALL_NAMESPACES)))));
  }

  @Test
  void aRefusedStartGivesUpAWonLeaseAsAStopSoTheProcessDoesNotExitBeforeTheReasonIsLogged() {
    AtomicInteger exits = new AtomicInteger();
    LeaseLoss loss = new LeaseLoss(exits::incrementAndGet);

    assertThatThrownBy(() -> new CacheSync(loss).refuseUnsynced(nodesUnsynced(false)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the operator's caches of osupdatepolicy/nodes did not fill");
    // the failed start stops the Operator SDK, which cancels the election this replica had won
    loss.stoppedLeading();

    assertThat(exits).hasValue(0);
  }

  @Test
  void aStartWhoseCachesFilledLeavesALostLeaseAnExit() {
    AtomicInteger exits = new AtomicInteger();
    LeaseLoss loss = new LeaseLoss(exits::incrementAndGet);

    new CacheSync(loss).refuseUnsynced(nodesUnsynced(true));
    loss.stoppedLeading();

    assertThat(exits).hasValue(1);
  }
}
