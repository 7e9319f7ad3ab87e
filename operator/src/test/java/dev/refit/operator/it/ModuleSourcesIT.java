package dev.refit.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.ConfigMapKeyRef;
import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import dev.refit.api.OSTarget;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.PolicyReasons;
import dev.refit.api.Revisions;
import dev.refit.api.SELinuxModule;
import dev.refit.api.SELinuxPolicy;
import dev.refit.operator.testing.Fixtures;
import dev.refit.operator.testing.Fleet;
import dev.refit.operator.testing.RunningOperator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SELinux modules whose CIL lives in a ConfigMap: the operator reads the CIL through its watch, so
 * an edit is a new revision rolled out like any other, and a ConfigMap it cannot read holds the
 * rollout with a condition on the policy, never failing a node.
 */
class ModuleSourcesIT {

  private static final Map<String, String> WORKERS = Map.of("pool", "workers");
  private static final String NAMESPACE = RunningOperator.LEASE_NAMESPACE;
  private static final String MAP = "selinux-modules";
  private static final String KEY = "mounts.cil";
  private static final String MODULE = "refit_mounts";
  private static final String CIL = "(allow container_t mnt_t (dir (search)))\n";
  private static final String EDITED = CIL + "(allow container_t mnt_t (dir (read)))\n";
  private static final String VERSION = "41.20250101.3.0";
  private static final int NODES = 4;

  private Fleet fleet;

  @BeforeEach
  void fleetOfLiveChanges() {
    fleet = new Fleet().withNodes("worker", NODES, WORKERS);
    for (int i = 1; i <= NODES; i++) {
      fleet.agents.liveChanges("worker-" + i);
    }
    fleet.startOperator();
  }

  @AfterEach
  void stop() {
    fleet.close();
  }

  @Test
  void anEditOfTheCilInTheConfigMapRollsOutANewRevisionToEveryNode() {
    writeConfigMap(CIL);
    fleet.apply(policy());
    String first = revision(VERSION, CIL);
    awaitEveryNodeOn(first);
    assertThat(first)
        .as("the same CIL inline or in a ConfigMap is the same revision")
        .isEqualTo(Revisions.of(OSTarget.version(VERSION), inline(CIL)));
    assertThat(fleet.osNodes())
        .allSatisfy(
            n ->
                assertThat(n.getSpec().getModuleDigests())
                    .isEqualTo(Map.of(MODULE, Revisions.moduleDigest(CIL))));
    long generation = fleet.policy("workers").getMetadata().getGeneration();

    writeConfigMap(EDITED);

    String second = revision(VERSION, EDITED);
    assertThat(second).isNotEqualTo(first);
    awaitEveryNodeOn(second);
    for (OSNode node : fleet.osNodes()) {
      assertThat(node.getSpec().getModuleDigests())
          .isEqualTo(Map.of(MODULE, Revisions.moduleDigest(EDITED)));
      assertThat(fleet.agents.running(node.getMetadata().getName())).isEqualTo(second);
    }
    assertThat(fleet.policy("workers").getMetadata().getGeneration())
        .as("the policy's spec is never written")
        .isEqualTo(generation);
    assertThat(fleet.invariants.maxUnavailable()).isLessThanOrEqualTo(1);
  }

  @Test
  void aDeletedConfigMapHoldsTheRolloutWithAConditionNothingFailsAndItsReturnResumesIt() {
    writeConfigMap(CIL);
    fleet.apply(policy());
    String first = revision(VERSION, CIL);
    awaitEveryNodeOn(first);

    fleet.client().configMaps().inNamespace(NAMESPACE).withName(MAP).delete();
    var degraded =
        fleet.awaitCondition(
            "workers", "Degraded", PolicyReasons.MODULE_SOURCE_UNAVAILABLE, Duration.ofSeconds(20));
    assertThat(degraded.getMessage())
        .contains("SELinux module " + MODULE)
        .contains("ConfigMap " + NAMESPACE + "/" + MAP + " key " + KEY)
        .contains("does not exist")
        .contains("holds at revision " + first);
    fleet.awaitUntil(
        Duration.ofSeconds(10),
        () ->
            !fleet
                .events(
                    "workers",
                    e ->
                        "Warning".equals(e.getType())
                            && PolicyReasons.MODULE_SOURCE_UNAVAILABLE.equals(e.getReason()))
                .isEmpty());

    // a new target while the CIL cannot be read: its revision cannot be told, so no node gets it
    fleet.edit(
        "workers",
        p -> {
          p.getSpec().setOs(OSTarget.version("41.20250115.3.0"));
          return p;
        });
    fleet.assertForAtLeast(
        Duration.ofSeconds(3),
        "every node UpToDate on the last revision it could read, none failed or cordoned",
        () ->
            fleet.osNodes().stream()
                    .allMatch(
                        n ->
                            n.getSpec().getState() == NodeState.UpToDate
                                && first.equals(n.getSpec().getDesiredRevision()))
                && first.equals(targetRevision())
                && fleet.invariants.cordonedByRefitNow().isEmpty());
    assertThat(fleet.policy("workers").getStatus().getNodes().getFailed()).isZero();

    writeConfigMap(CIL);

    String resumed = revision("41.20250115.3.0", CIL);
    awaitEveryNodeOn(resumed);
    assertThat(fleet.reason("workers", "Degraded")).isEqualTo(PolicyReasons.NO_PROBLEMS);
  }

  private void awaitEveryNodeOn(String revision) {
    fleet.awaitUntil(
        Duration.ofSeconds(60),
        () ->
            revision.equals(targetRevision())
                && "AllNodesUpdated".equals(fleet.reason("workers", "Ready"))
                && fleet.osNodes().size() == NODES
                && fleet.osNodes().stream()
                    .allMatch(
                        n ->
                            revision.equals(n.getSpec().getDesiredRevision())
                                && n.getSpec().getState() == NodeState.UpToDate));
  }

  private String targetRevision() {
    var status = fleet.policy("workers").getStatus();
    return status == null ? null : status.getTargetRevision();
  }

  private void writeConfigMap(String cil) {
    ConfigMap map =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(MAP)
            .withNamespace(NAMESPACE)
            .endMetadata()
            .withData(Map.of(KEY, cil))
            .build();
    fleet.client().resource(map).createOr(existing -> existing.update());
  }

  private static OSUpdatePolicy policy() {
    OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, VERSION);
    SELinuxModule module = new SELinuxModule();
    module.setName(MODULE);
    module.setConfigMapRef(new ConfigMapKeyRef(NAMESPACE, MAP, KEY));
    SELinuxPolicy selinux = new SELinuxPolicy();
    selinux.setModules(List.of(module));
    policy.getSpec().setSelinux(selinux);
    return policy;
  }

  private static String revision(String version, String cil) {
    return Revisions.of(
        OSTarget.version(version), policy().getSpec().getSelinux(), Map.of(MODULE, cil));
  }

  private static SELinuxPolicy inline(String cil) {
    SELinuxPolicy selinux = new SELinuxPolicy();
    selinux.setModules(List.of(SELinuxModule.inline(MODULE, cil)));
    return selinux;
  }
}
