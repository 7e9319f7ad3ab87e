package dev.refit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.Condition;
import dev.refit.api.HostDeployment;
import dev.refit.api.OSFamily;
import dev.refit.api.OSNode;
import dev.refit.api.OSNodeSpec;
import dev.refit.api.OSNodeStatus;
import dev.refit.testing.ApiCall;
import dev.refit.testing.EmbeddedKubernetes;
import dev.refit.updater.kube.StatusPatcher;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The event storm writes OSNode statuses at about its rate, only as the status subresource and only
 * what the agents reported (their conditions, reordered), never over a newer report, and stops when
 * closed.
 */
class EventStormTest {

  private static final int NODES = 10;
  private static final double RATE = 40;

  @Test
  void writesAboutItsRateOnlyToTheStatusOfReportedNodesAndStopsWhenClosed() throws Exception {
    try (EmbeddedKubernetes api = EmbeddedKubernetes.start()) {
      for (int i = 0; i < NODES; i++) {
        report(api, create(api, "node-" + i), "40.1", "boot-" + i);
      }
      create(api, "unreported");
      Map<String, OSNode> before = all(api);

      EventStorm storm = new EventStorm(LoadProbe.client(api.url()), RATE).start();
      Thread.sleep(2500);
      storm.close();
      EventStorm.Figures figures = storm.figures();
      long requestsAtClose = requestsOfTheStorm(api);

      assertThat(figures.writes()).isGreaterThan(0);
      // never faster than asked; how much slower depends on the machine (a speed figure belongs
      // to the load benchmark, not to a test)
      assertThat(figures.perSecond()).isLessThanOrEqualTo(RATE * 1.1);
      assertThat(figures.failures()).isZero();
      Map<String, OSNode> after = all(api);
      for (int i = 0; i < NODES; i++) {
        String name = "node-" + i;
        assertThat(json(after.get(name).getSpec())).isEqualTo(json(before.get(name).getSpec()));
        assertThat(json(sorted(after.get(name).getStatus())))
            .isEqualTo(json(sorted(before.get(name).getStatus())));
        assertThat(after.get(name).getMetadata().getGeneration())
            .isEqualTo(before.get(name).getMetadata().getGeneration());
        // every node had its turn, and each write was a change the watches saw
        assertThat(after.get(name).getMetadata().getResourceVersion())
            .isNotEqualTo(before.get(name).getMetadata().getResourceVersion());
      }
      assertThat(after.get("unreported").getMetadata().getResourceVersion())
          .isEqualTo(before.get("unreported").getMetadata().getResourceVersion());
      Set<String> writes = new java.util.TreeSet<>();
      for (ApiCall call : api.requests().calls()) {
        if (call.client().equals(EventStorm.CLIENT)
            && !List.of("get", "list", "watch").contains(call.verb())) {
          writes.add(call.verb() + " " + call.resource() + " " + call.fields());
        }
      }
      assertThat(writes).containsExactly("patch osnodes/status metadata.resourceVersion,status");

      Thread.sleep(1000);
      assertThat(requestsOfTheStorm(api)).isEqualTo(requestsAtClose);
      assertThat(all(api).get("node-0").getMetadata().getResourceVersion())
          .isEqualTo(after.get("node-0").getMetadata().getResourceVersion());
    }
  }

  @Test
  void anAgentsNewerReportSurvivesTheStorm() throws Exception {
    try (EmbeddedKubernetes api = EmbeddedKubernetes.start()) {
      OSNode osNode = create(api, "node-1");
      report(api, osNode, "40.1", "boot-0");
      try (EventStorm storm = new EventStorm(LoadProbe.client(api.url()), 200).start()) {
        // the agent reports new facts again and again while the storm refreshes the old ones
        for (int boot = 1; boot <= 30; boot++) {
          report(api, osNode, "41." + boot, "boot-" + boot);
          Thread.sleep(20);
        }
        Thread.sleep(300);
      }
      OSNodeStatus status =
          api.client().resources(OSNode.class).withName("node-1").get().getStatus();
      assertThat(status.getBooted().getVersion()).isEqualTo("41.30");
      assertThat(status.getBootId()).isEqualTo("boot-30");
    }
  }

  private static OSNode create(EmbeddedKubernetes api, String name) {
    OSNode osNode = new OSNode();
    osNode.setMetadata(new ObjectMetaBuilder().withName(name).build());
    OSNodeSpec spec = new OSNodeSpec();
    spec.setPolicy("fleet");
    spec.setTarget("41.20250101.3.0");
    osNode.setSpec(spec);
    return api.client().resource(osNode).create();
  }

  /** Reports facts as the agent does: its own status writer. */
  private static void report(EmbeddedKubernetes api, OSNode osNode, String version, String boot) {
    OSNodeStatus status = new OSNodeStatus();
    status.setFamily(OSFamily.FedoraCoreOS);
    status.setBooted(new HostDeployment(version, null, null, null));
    status.setBootId(boot);
    status.setRebootPending(false);
    status.setConditions(
        List.of(
            new Condition("Eligible", Condition.Status.True, "HostEligible", "ok", 1L),
            new Condition("Staged", Condition.Status.False, "NotStaged", "nothing staged", 1L)));
    new StatusPatcher(api.client()).write(osNode, status);
  }

  private static Map<String, OSNode> all(EmbeddedKubernetes api) {
    Map<String, OSNode> byName = new HashMap<>();
    api.client()
        .resources(OSNode.class)
        .list()
        .getItems()
        .forEach(o -> byName.put(o.getMetadata().getName(), o));
    return byName;
  }

  private static long requestsOfTheStorm(EmbeddedKubernetes api) {
    return api.requests().byUserAgent().getOrDefault(EventStorm.CLIENT, 0L);
  }

  /** The status with its conditions in type order: what it means, whatever their order. */
  private static OSNodeStatus sorted(OSNodeStatus status) {
    List<Condition> conditions = new ArrayList<>(status.getConditions());
    conditions.sort(Comparator.comparing(Condition::getType));
    status.setConditions(conditions);
    return status;
  }

  private static String json(Object value) {
    return Serialization.asJson(value);
  }
}
