package dev.refit.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.api.ActionState;
import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.api.OSFamily;
import dev.refit.api.OSNode;
import dev.refit.api.OSNodeSpec;
import dev.refit.api.OSTarget;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OSUpdatePolicySpec;
import dev.refit.api.RefitApi;
import dev.refit.api.SELinuxBoolean;
import dev.refit.api.SELinuxPolicy;
import dev.refit.api.Selector;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The chart on a real cluster (K3s): the images the build made are loaded, helm/refit is installed
 * with the node-updater's fake host, and an OSUpdatePolicy rolls out to the K3s node through the
 * real API server, RBAC and admission policy.
 *
 * <p>The fake host's reboots change only its own boot ID, never the kubelet's, and the operator
 * proves a reboot by the Node's boot ID; so every target here is one the node reaches without a
 * reboot: first the OS version the fake host already runs (up to date at once, the agent only
 * acknowledges the Stage instruction), then an SELinux boolean, which the agent stages and applies
 * live. Both go through the agent's status writes under its own service-account token.
 *
 * <p>Runs only where Docker exists and both image tarballs are built (the skip message says how).
 */
@EnabledIf(
    value = "imagesBuilt",
    disabledReason =
        "the images are not built: ./mvnw -pl operator,node-updater -am package jib:buildTar"
            + " -DskipTests -Djib.from.platforms=linux/amd64 (linux/arm64 on an arm64 Docker"
            + " host; a tarball holds one platform) writes operator/target/jib-image.tar and"
            + " node-updater/target/jib-image.tar")
@Testcontainers(disabledWithoutDocker = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChartK3sIT {

  private static final Path REPO =
      Path.of(System.getProperty("refit.repo.root", "../..")).toAbsolutePath().normalize();
  private static final Path OPERATOR_IMAGE = REPO.resolve("operator/target/jib-image.tar");
  private static final Path AGENT_IMAGE = REPO.resolve("node-updater/target/jib-image.tar");
  private static final String NAMESPACE = RefitOnK3s.NAMESPACE;
  private static final String LEASE = "refit-operator";
  private static final String POLICY = "k3s-node";
  private static final String OTHER_NODE = "another-node";

  /** What the node-updater's fake host runs (AgentService): a target it needs no update for. */
  private static final String FAKE_HOST_VERSION = "40.20241201.3.0";

  /** Off on the fake host; switching it on applies live, without a reboot. */
  private static final String SELINUX_BOOLEAN = "container_manage_cgroup";

  private static final long ROLLOUT_MINUTES = 3;

  private static RefitOnK3s cluster;
  private static KubernetesClient client;
  private static String node;

  static boolean imagesBuilt() {
    return Files.isRegularFile(OPERATOR_IMAGE) && Files.isRegularFile(AGENT_IMAGE);
  }

  @BeforeAll
  static void installChart() throws Exception {
    cluster =
        RefitOnK3s.install(
            REPO.resolve("helm").resolve("refit"),
            ImageTarball.read(OPERATOR_IMAGE),
            ImageTarball.read(AGENT_IMAGE));
    client = cluster.client();
    node = cluster.node();
    assertThat(cluster.release().getStatus()).isEqualTo("deployed");
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void theOperatorHoldsItsLeaseInTheReleaseNamespace() {
    Pod operator = onlyPod("operator");

    Lease lease =
        client
            .leases()
            .inNamespace(NAMESPACE)
            .withName(LEASE)
            .waitUntilCondition(
                l -> l != null && l.getSpec() != null && l.getSpec().getHolderIdentity() != null,
                2,
                TimeUnit.MINUTES);

    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(operator.getMetadata().getName());
  }

  @Test
  @Order(2)
  void aNodeAlreadyRunningTheTargetIsUpToDateAtOnceAndItsAgentReportsTheHost() {
    OSUpdatePolicy policy = new OSUpdatePolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName(POLICY).build());
    OSUpdatePolicySpec spec = new OSUpdatePolicySpec();
    spec.setNodeSelector(Selector.matching(Map.of("kubernetes.io/hostname", node)));
    spec.setOs(OSTarget.version(FAKE_HOST_VERSION));
    policy.setSpec(spec);
    long generation = client.resource(policy).create().getMetadata().getGeneration();

    OSUpdatePolicy ready =
        RolloutWait.awaitReady(client, POLICY, generation, ROLLOUT_MINUTES, NAMESPACE);

    OSNode osNode = client.resources(OSNode.class).withName(node).get();
    assertThat(osNode.getSpec().getPolicy()).isEqualTo(POLICY);
    assertThat(osNode.getSpec().getState()).isEqualTo(NodeState.UpToDate);
    assertThat(osNode.getSpec().getReason()).isNotEqualTo(NodeReasons.UPDATED);
    // Written by the node-updater on this node: the fake host's facts, and the Stage
    // instruction acknowledged.
    assertThat(osNode.getStatus().getFamily()).isEqualTo(OSFamily.FedoraCoreOS);
    assertThat(osNode.getStatus().getBooted().getVersion()).isEqualTo(FAKE_HOST_VERSION);
    assertThat(osNode.getStatus().getBootId()).startsWith(node);
    assertThat(osNode.getStatus().getCurrentRevision())
        .isEqualTo(ready.getStatus().getTargetRevision());
    assertThat(osNode.getStatus().getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(cordoned(client.nodes().withName(node).get())).isFalse();
  }

  @Test
  @Order(3)
  void anSelinuxBooleanIsAppliedLiveWithoutCordoningOrRebootingTheNode() {
    String bootBefore = client.resources(OSNode.class).withName(node).get().getStatus().getBootId();
    AtomicReference<Node> cordoned = new AtomicReference<>();
    Watch watch =
        client
            .nodes()
            .withName(node)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Node seen) {
                    if (cordoned(seen)) {
                      cordoned.compareAndSet(null, seen);
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    try {
      OSUpdatePolicy edited =
          client
              .resources(OSUpdatePolicy.class)
              .withName(POLICY)
              .edit(
                  p -> {
                    SELinuxPolicy selinux = new SELinuxPolicy();
                    selinux.setBooleans(List.of(new SELinuxBoolean(SELINUX_BOOLEAN, true)));
                    p.getSpec().setSelinux(selinux);
                    return p;
                  });

      RolloutWait.awaitReady(
          client, POLICY, edited.getMetadata().getGeneration(), ROLLOUT_MINUTES, NAMESPACE);
    } finally {
      watch.close();
    }

    OSNode osNode = client.resources(OSNode.class).withName(node).get();
    OSNodeSpec spec = osNode.getSpec();
    assertThat(spec.getState()).isEqualTo(NodeState.UpToDate);
    assertThat(spec.getReason()).isEqualTo(NodeReasons.UPDATED);
    assertThat(osNode.getStatus().getSelinux().getBooleans())
        .containsExactly(new SELinuxBoolean(SELINUX_BOOLEAN, true));
    assertThat(osNode.getStatus().getBootIdBeforeAction()).isNull();
    assertThat(osNode.getStatus().getBootId()).isEqualTo(bootBefore);
    assertThat(cordoned.get()).as("the Node as the watch saw it cordoned").isNull();
    assertThat(cordoned(client.nodes().withName(node).get())).isFalse();
  }

  @Test
  @Order(4)
  void theNodeUpdatersServiceAccountMayWriteOsNodeStatusButNoSpecNodeOrPod() {
    String account = agentPodOnTheNode().getSpec().getServiceAccountName();

    assertThat(may(account, "patch", "refit.dev", "osnodes", "status")).isTrue();
    assertThat(may(account, "watch", "refit.dev", "osnodes", "")).isTrue();
    assertThat(may(account, "patch", "refit.dev", "osnodes", "")).isFalse();
    assertThat(may(account, "delete", "refit.dev", "osnodes", "")).isFalse();
    assertThat(may(account, "update", "refit.dev", "osupdatepolicies", "")).isFalse();
    assertThat(may(account, "patch", "", "nodes", "")).isFalse();
    assertThat(may(account, "delete", "", "pods", "")).isFalse();
    assertThat(may(account, "create", "", "pods", "eviction")).isFalse();
  }

  @Test
  @Order(5)
  void aNodeUpdaterCannotWriteTheStatusOfAnotherNodesOsNode() {
    List<ValidatingAdmissionPolicy> policies =
        client
            .admissionRegistration()
            .v1()
            .validatingAdmissionPolicies()
            .withLabel("app.kubernetes.io/instance", RefitOnK3s.RELEASE)
            .list()
            .getItems();
    assertThat(policies).as("the chart's ValidatingAdmissionPolicies").isNotEmpty();
    List<ValidatingAdmissionPolicyBinding> bindings =
        client.admissionRegistration().v1().validatingAdmissionPolicyBindings().list().getItems();
    for (ValidatingAdmissionPolicy policy : policies) {
      assertThat(bindings)
          .filteredOn(b -> policy.getMetadata().getName().equals(b.getSpec().getPolicyName()))
          .as("bindings of " + policy.getMetadata().getName())
          .singleElement()
          .satisfies(b -> assertThat(b.getSpec().getValidationActions()).contains("Deny"));
    }

    OSNode elsewhere = new OSNode();
    elsewhere.setMetadata(new ObjectMetaBuilder().withName(OTHER_NODE).build());
    elsewhere.setSpec(new OSNodeSpec());
    elsewhere.getSpec().setPolicy("another-policy");
    client.resource(elsewhere).create();
    String ownBootId = client.resources(OSNode.class).withName(node).get().getStatus().getBootId();

    try (KubernetesClient agent = AgentAccess.asPod(client, agentPodOnTheNode())) {
      assertThat(AgentAccess.dryRunStatusPatch(agent, node, ownBootId)).isNotNull();

      assertThatThrownBy(() -> AgentAccess.dryRunStatusPatch(agent, OTHER_NODE, "forged"))
          .isInstanceOfSatisfying(
              KubernetesClientException.class,
              e -> {
                assertThat(e.getCode()).isIn(403, 422);
                assertThat(e.getMessage()).contains("ValidatingAdmissionPolicy");
              });
    }
  }

  private static boolean may(
      String account, String verb, String group, String resource, String subresource) {
    return AgentAccess.rbacAllows(client, NAMESPACE, account, verb, group, resource, subresource);
  }

  private static Pod agentPodOnTheNode() {
    return cluster.pods("node-updater").stream()
        .filter(p -> node.equals(p.getSpec().getNodeName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no node-updater pod on " + node));
  }

  private static Pod onlyPod(String component) {
    List<Pod> pods = cluster.pods(component);
    assertThat(pods).as(component + " pods").hasSize(1);
    return pods.get(0);
  }

  /** Unschedulable, or carrying Refit's cordon annotation. */
  private static boolean cordoned(Node n) {
    Map<String, String> annotations = n.getMetadata().getAnnotations();
    return Boolean.TRUE.equals(n.getSpec().getUnschedulable())
        || (annotations != null && annotations.containsKey(RefitApi.CORDONED_ANNOTATION));
  }
}
