package dev.refit.updater.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.api.ConfigMapKeyRef;
import dev.refit.api.SELinuxModule;
import dev.refit.testing.EmbeddedKubernetes;
import dev.refit.updater.JdkClients;
import dev.refit.updater.host.HostException;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An SELinux module's CIL source read from the ConfigMap it names, through the agent's client: one
 * GET, in the namespace the chart lets the agent read (Refit's own, {@code refit-system}).
 */
class ConfigMapModuleSourcesIT {

  static final String CIL = "(allow container_t var_lib_t (file (read open getattr)))";

  final EmbeddedKubernetes api = EmbeddedKubernetes.start();
  final KubernetesClient agent = JdkClients.of(api);
  final ConfigMapModuleSources sources = new ConfigMapModuleSources(agent);

  @AfterEach
  void stop() {
    agent.close();
    api.close();
  }

  static SELinuxModule fromConfigMap(String name, String key) {
    ConfigMapKeyRef ref = new ConfigMapKeyRef();
    ref.setNamespace("refit-system");
    ref.setName(name);
    ref.setKey(key);
    SELinuxModule module = new SELinuxModule();
    module.setName("refit_allow_logs");
    module.setConfigMapRef(ref);
    return module;
  }

  @Test
  void theCilSourceIsReadFromTheConfigMapTheModuleNames() throws HostException {
    api.client()
        .configMaps()
        .inNamespace("refit-system")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("selinux-modules")
                .withNamespace("refit-system")
                .endMetadata()
                .withData(Map.of("refit_allow_logs.cil", CIL))
                .build())
        .create();

    assertThat(sources.cil(fromConfigMap("selinux-modules", "refit_allow_logs.cil")))
        .isEqualTo(CIL);
    assertThat(api.requests().count("get", "configmaps")).isEqualTo(1);
  }

  @Test
  void aMissingConfigMapOrKeyIsAReportedErrorThatNamesIt() {
    assertThatThrownBy(() -> sources.cil(fromConfigMap("nowhere", "x.cil")))
        .isInstanceOf(HostException.class)
        .hasMessageContaining("refit-system/nowhere[x.cil] does not exist")
        .extracting(e -> ((HostException) e).reason())
        .isEqualTo("ModuleSourceUnavailable");
  }

  @Test
  void aConfigMapTheAgentMayNotReadSaysWhichValueGrantsIt() {
    String message =
        ConfigMapModuleSources.cannotRead(
            fromConfigMap("selinux-modules", "a.cil").getConfigMapRef(),
            fromConfigMap("selinux-modules", "a.cil"),
            403);
    assertThat(message)
        .contains("nodeUpdater.moduleConfigMapNamespaces")
        .contains("add refit-system to that list");
    assertThat(
            ConfigMapModuleSources.cannotRead(
                fromConfigMap("m", "a.cil").getConfigMapRef(), fromConfigMap("m", "a.cil"), 500))
        .doesNotContain("moduleConfigMapNamespaces");
  }
}
